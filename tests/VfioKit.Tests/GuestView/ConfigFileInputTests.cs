using System.Text.Json;
using VfioKit.Tests.Cli;

namespace VfioKit.Tests.GuestView;

/// <summary>`vfiokit guest-view` on every configuration format (VmConfigFile): libvirt domain XML, libvirt's own argv, Proxmox.</summary>
public class ConfigFileInputTests
{
    private static JsonElement[] Devices(JsonDocument doc) => doc.RootElement.GetProperty("devices").EnumerateArray().ToArray();

    private static JsonElement Device(JsonDocument doc, string id) => Devices(doc).Single(d => d.GetProperty("id").GetString() == id);

    private static JsonDocument GuestView(params string[] args)
    {
        var run = CliRun.Of(["guest-view", .. args, "--json"]);
        Assert.True(run.ExitCode is 0 or 1, run.Error);
        return JsonDocument.Parse(run.Out);
    }

    [Fact]
    public void A_libvirt_domain_puts_each_hostdev_behind_its_ioh3420_as_an_endpoint()
    {
        using var doc = GuestView(TestPaths.DataFile("configs", "seed-libvirt-ioh3420.xml"));
        var port = Device(doc, "pci.8");
        Assert.Equal("ioh3420", port.GetProperty("driver").GetString());
        Assert.Equal("0000:00:1c.0", port.GetProperty("guestAddress").GetString());
        var bus = default(string);
        foreach (var (id, function) in new[] { ("hostdev0", 0), ("hostdev1", 1) })
        {
            var d = Device(doc, id);
            Assert.Equal("Endpoint", d.GetProperty("guestSees").GetString());
            Assert.Equal(["pcie.0", "pci.8", id], d.GetProperty("path").EnumerateArray().Select(e => e.GetString()));
            var address = d.GetProperty("guestAddress").GetString()!;
            Assert.Matches($"^0000:[0-9a-f]{{2}}:00\\.{function}$", address);
            bus ??= address[..7];
            Assert.Equal(bus, address[..7]);
            Assert.Equal(2.5, d.GetProperty("portLink").GetProperty("speedGTs").GetDouble());
            Assert.Equal(1, d.GetProperty("portLink").GetProperty("width").GetInt32());
        }
        // libvirt passes -nodefaults: no default VGA or NIC in the guest.
        Assert.DoesNotContain(Devices(doc), d => d.GetProperty("driver").GetString() is "VGA" or "e1000" or "e1000e");
    }

    [Fact]
    public void A_libvirt_domain_predicts_what_the_argv_libvirtd_made_of_it_predicts()
    {
        // libvirt.args: the argv a real libvirtd produced for domain.xml (scripts/lab/libvirt.sh). The domain says
        // machine='q35', which that libvirt resolved with QEMU 7.2: predict both for 7.2.
        var dir = Path.Combine(TestPaths.Data, "guests", "libvirt-ioh3420-index8");
        using var fromXml = GuestView(Path.Combine(dir, "domain.xml"), "--qemu-version", "7.2");
        using var fromArgv = GuestView(Path.Combine(dir, "libvirt.args"), "--qemu-version", "7.2");
        static string[] Seen(JsonDocument doc) => Devices(doc).Select(d => string.Join(" ",
            d.GetProperty("id").GetString(), d.GetProperty("driver").GetString(), d.GetProperty("guestAddress").GetString(),
            d.GetProperty("guestSees").GetString(), d.GetProperty("link").GetRawText(), d.GetProperty("portLink").GetRawText(),
            string.Join("/", d.GetProperty("path").EnumerateArray().Select(e => e.GetString())))).Order(StringComparer.Ordinal).ToArray();
        var seen = Seen(fromXml);
        Assert.Equal(Seen(fromArgv), seen);
        Assert.Equal(fromArgv.RootElement.GetProperty("problems").GetArrayLength(), fromXml.RootElement.GetProperty("problems").GetArrayLength());
        Assert.Equal(2, seen.Count(s => s.Contains(" vfio-pci ", StringComparison.Ordinal) && s.Contains(" Endpoint ", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_proxmox_config_puts_its_hostpci_behind_qemu_servers_root_port()
    {
        using var doc = GuestView(TestPaths.DataFile("configs", "proxmox-q35-gpu.conf"));
        Assert.Equal("pcie-root-port", Device(doc, "ich9-pcie-port-1").GetProperty("driver").GetString());
        foreach (var (id, function) in new[] { ("hostpci0.0", 0), ("hostpci0.1", 1) })
        {
            var d = Device(doc, id);
            Assert.Equal("Endpoint", d.GetProperty("guestSees").GetString());
            Assert.Equal(["pcie.0", "ich9-pcie-port-1", id], d.GetProperty("path").EnumerateArray().Select(e => e.GetString()));
            Assert.EndsWith($":00.{function}", d.GetProperty("guestAddress").GetString());
        }
    }

    [Fact]
    public void Malformed_xml_is_exit_code_2_naming_file_and_line()
    {
        var path = Path.Combine(Path.GetTempPath(), $"vfiokit-gv-{Guid.NewGuid():N}.xml");
        File.WriteAllText(path, "<domain type='kvm'>\n  <devices>\n    <hostdev mode='subsystem' type='pci'>\n  </devices>\n</domain>\n");
        try
        {
            var run = CliRun.Of("guest-view", path);
            Assert.Equal(2, run.ExitCode);
            Assert.Contains($"{path}:4:", run.Error);
            Assert.Contains("malformed XML", run.Error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_file_of_no_known_format_is_exit_code_2()
    {
        var path = Path.Combine(Path.GetTempPath(), $"vfiokit-gv-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, "just some words\n");
        try
        {
            var run = CliRun.Of("guest-view", path);
            Assert.Equal(2, run.ExitCode);
            Assert.Contains($"{path}:1:", run.Error);
            Assert.Contains("cannot tell the format", run.Error);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
