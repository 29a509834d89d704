using VfioKit.Diagnostics;
using VfioKit.Libvirt;

namespace VfioKit.Tests.Libvirt;

/// <summary>libvirt's own C library against its test driver (test:///default and node files): what virsh would show.</summary>
public class LibvirtConnectionTests
{
    [Fact]
    public void The_test_driver_lists_its_running_domain_and_finds_it_by_name_and_by_uuid()
    {
        using var c = LibvirtConnection.Open("test:///default", readOnly: true);
        Assert.Equal("test:///default", c.Uri);
        var test = Assert.Single(c.Domains());
        Assert.Equal("test", test.Name);
        Assert.True(test.Active);
        Assert.True(Guid.TryParse(test.Uuid, out _));
        Assert.Equal(test, c.Domain(test.Uuid));
        Assert.Equal(test, c.Domain("test"));
    }

    [Fact]
    public void Live_xml_carries_the_running_id_and_the_inactive_xml_does_not()
    {
        using var c = LibvirtConnection.Open("test:///default", readOnly: true);
        var live = c.DomainXml("test", inactive: false);
        var inactive = c.DomainXml("test", inactive: true);
        Assert.Contains("<domain type='test' id='1'>", live);
        Assert.Contains("<domain type='test'>", inactive);
        Assert.Contains("<name>test</name>", inactive);
    }

    [Fact]
    public void Domains_of_a_node_file_keep_their_gpu_hostdevs_and_inactive_ones_are_listed_too()
    {
        using var node = new TestDriverNode("win11", "linux-gpu");
        using var c = LibvirtConnection.Open(node.Uri, readOnly: true);
        Assert.Equal(["linux-gpu", "win11"], c.Domains().Select(d => d.Name));
        var xml = c.DomainXml("win11", inactive: true);
        Assert.Contains("<address domain='0x0000' bus='0x0b' slot='0x00' function='0x1'/>", xml);

        using var rw = LibvirtConnection.Open("test:///default", readOnly: false);
        var copy = System.Text.RegularExpressions.Regex.Replace(xml, @"\s*<uuid>[^<]*</uuid>", "").Replace("<name>win11</name>", "<name>stopped</name>", StringComparison.Ordinal);
        var defined = rw.Define(copy, validate: true);
        Assert.Equal("stopped", defined.Name);
        Assert.False(defined.Active);
        Assert.Contains(rw.Domains(), d => d.Name == "stopped" && !d.Active);
    }

    [Fact]
    public void Define_with_validation_refuses_what_the_schema_refuses_and_the_error_names_the_uri()
    {
        using var c = LibvirtConnection.Open("test:///default", readOnly: false);
        var e = Assert.Throws<LibvirtException>(() => c.Define(
            "<domain type='test'><name>bad</name><memory>1024</memory><os><type>hvm</type></os><devices><no-such-device/></devices></domain>", validate: true));
        Assert.StartsWith("test:///default: libvirt refused the domain XML: ", e.Message);
        Assert.Contains("XML document failed to validate against schema", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(c.Domains(), d => d.Name == "bad");
    }

    [Fact]
    public void Capabilities_describe_the_host_cells()
    {
        using var c = LibvirtConnection.Open("test:///default", readOnly: true);
        var caps = c.Capabilities();
        Assert.Contains("<capabilities>", caps);
        Assert.Contains("<cells num=", caps);
    }

    [Fact]
    public void A_domain_that_does_not_exist_is_bad_input_naming_it_and_the_uri()
    {
        using var c = LibvirtConnection.Open("test:///default", readOnly: true);
        var e = Assert.Throws<InputException>(() => c.Domain("no-such-vm"));
        Assert.Equal("no-such-vm: no domain with this name or UUID on test:///default", e.Describe());
    }

    [Fact]
    public void A_host_that_cannot_be_reached_is_libvirts_error_with_the_uri()
    {
        // Port 1 on loopback: nothing listens, libvirt's own RPC client gets "connection refused".
        var e = Assert.Throws<LibvirtException>(() => LibvirtConnection.Open("qemu+tcp://127.0.0.1:1/system", readOnly: true));
        Assert.StartsWith("qemu+tcp://127.0.0.1:1/system: cannot connect: ", e.Message);
        Assert.Contains("Connection refused", e.Message);
    }

    [Fact]
    public void A_library_that_cannot_be_loaded_names_debians_package()
    {
        var e = LibvirtLibrary.Probe("libvirt-vfiokit-absent.so.0");
        Assert.NotNull(e);
        Assert.Equal("libvirt-vfiokit-absent.so.0 cannot be loaded: install Debian's libvirt0 (apt-get install libvirt0)", e.Message);
        Assert.Null(LibvirtLibrary.Probe("libvirt.so.0"));
    }
}
