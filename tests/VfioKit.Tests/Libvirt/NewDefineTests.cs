using System.Text.RegularExpressions;
using VfioKit.Diagnostics;
using VfioKit.Files;
using VfioKit.Generation;
using VfioKit.Host;
using VfioKit.Libvirt;
using VfioKit.Tests.Cli;
using VfioKit.Tests.Lab;
using Xunit.Abstractions;

namespace VfioKit.Tests.Libvirt;

/// <summary>The VM `new` writes, for the lab snapshot host with a GPU (q35-gpu-iommu), as `new --define` hands it to libvirt.</summary>
internal static class GeneratedVm
{
    public static string Xml(string name)
    {
        var host = HostModel.Read(new SysfsRoot(TestPaths.DataFile("hosts", "q35-gpu-iommu")));
        var gpu = host.Gpus.First(g => !g.BootVga).Slot.ToString();
        var vm = VmBlueprintBuilder.Build(host, new VmRequest([gpu], 1L << 30, 1, name, GuestOs.Linux), "pc-q35-7.2", OvmfFirmware.Find());
        return VmGenerator.Write(vm, VmFormat.Libvirt);
    }
}

/// <summary>`new --define`'s step (DomainCreation: define validated, read back, compared; undone on failure) on libvirt's
/// test driver. The test driver keeps no &lt;qemu:commandline&gt; (it is no QEMU): the copies defined there go without it,
/// and the full VM shows what happens when libvirt drops part of it.</summary>
public class NewDefineTests
{
    private static string WithoutQemuCommandLine(string xml) => Regex.Replace(xml, @"\s*<qemu:commandline>.*?</qemu:commandline>", "", RegexOptions.Singleline);

    [Fact]
    public void The_generated_vm_is_defined_read_back_and_found_equal()
    {
        var name = "h14-new-" + Guid.NewGuid().ToString("N")[..8];
        var xml = WithoutQemuCommandLine(GeneratedVm.Xml(name));
        using var c = LibvirtConnection.Open("test:///default", readOnly: false);
        var result = DomainCreation.ForName(c, name).Apply(xml, readBack => DefinitionReadBack.Check(xml, readBack));
        Assert.True(result.Defined, result.Problem);
        Assert.Equal(name, result.Domain!.Name);
        Assert.Contains($"<uuid>{result.Domain.Uuid}</uuid>", result.Xml);
        Assert.Null(DefinitionReadBack.Check(result.Xml, c.DomainXml(name, inactive: true)));
        Assert.Contains(c.Domains(), d => d.Name == name && !d.Active);

        // Never over an existing domain: the second time is refused and the first stays as it was.
        var before = c.DomainXml(name, inactive: true);
        var again = Assert.Throws<InputException>(() => DomainCreation.ForName(c, name));
        Assert.Contains($"a domain named '{name}' already exists on test:///default", again.Message);
        Assert.Equal(before, c.DomainXml(name, inactive: true));
    }

    [Fact]
    public void A_domain_defined_under_the_name_after_it_was_checked_is_not_replaced()
    {
        // The name is looked up once, before planning; one defined in between is refused by libvirt (the XML carries
        // a UUID of its own), and the domain found there stays as it was.
        var name = "h14-new-" + Guid.NewGuid().ToString("N")[..8];
        var xml = WithoutQemuCommandLine(GeneratedVm.Xml(name));
        using var c = LibvirtConnection.Open("test:///default", readOnly: false);
        var creation = DomainCreation.ForName(c, name);
        Assert.True(DomainCreation.ForName(c, name).Apply(xml, _ => null).Defined);
        var before = c.DomainXml(name, inactive: true);
        var late = creation.Apply(xml, _ => null);
        Assert.False(late.Defined);
        Assert.Null(late.Domain);
        Assert.Contains("libvirt refused the domain XML", late.Problem);
        Assert.Equal(before, c.DomainXml(name, inactive: true));

        var other = Assert.Throws<InputException>(() => creation.Apply(WithoutQemuCommandLine(GeneratedVm.Xml(name + "-other")), _ => null));
        Assert.Contains($"the domain XML is named '{name}-other', not '{name}'", other.Message);
    }

    [Fact]
    public void A_read_back_that_does_not_check_out_leaves_nothing_defined()
    {
        var name = "h14-new-" + Guid.NewGuid().ToString("N")[..8];
        using var c = LibvirtConnection.Open("test:///default", readOnly: false);
        var result = DomainCreation.ForName(c, name).Apply(WithoutQemuCommandLine(GeneratedVm.Xml(name)), _ => "the read-back is wrong (injected)");
        Assert.False(result.Defined);
        Assert.NotNull(result.Domain);
        Assert.Equal("the read-back is wrong (injected)", result.Problem);
        Assert.DoesNotContain(c.Domains(), d => d.Name == name);
    }

    [Fact]
    public void What_libvirt_drops_is_named_and_the_domain_undefined_again()
    {
        var name = "h14-new-" + Guid.NewGuid().ToString("N")[..8];
        var xml = GeneratedVm.Xml(name);
        using var c = LibvirtConnection.Open("test:///default", readOnly: false);
        var result = DomainCreation.ForName(c, name).Apply(xml, readBack => DefinitionReadBack.Check(xml, readBack));
        Assert.False(result.Defined);
        Assert.Contains("qemu:commandline arg 1: wrote pcie-root-port.x-speed=", result.Problem);
        Assert.Contains("libvirt dropped it", result.Problem);
        Assert.DoesNotContain(c.Domains(), d => d.Name == name);
    }

    [Fact]
    public void Xml_libvirt_refuses_defines_nothing_and_says_why()
    {
        var name = "h14-new-" + Guid.NewGuid().ToString("N")[..8];
        using var c = LibvirtConnection.Open("test:///default", readOnly: false);
        var bad = GeneratedVm.Xml(name).Replace("</devices>", "<no-such-device/></devices>", StringComparison.Ordinal);
        var result = DomainCreation.ForName(c, name).Apply(bad, _ => null);
        Assert.False(result.Defined);
        Assert.Null(result.Domain);
        Assert.Contains("libvirt refused the domain XML", result.Problem);
        Assert.DoesNotContain(c.Domains(), d => d.Name == name);
    }

    [Fact]
    public void The_comparison_names_what_libvirt_changed()
    {
        var xml = GeneratedVm.Xml("cmp");
        Assert.Null(DefinitionReadBack.Check(xml, xml));
        var moved = Regex.Replace(xml, "(<hostdev[^>]*>.*?<address [^>]*bus=')0x[0-9a-f]+", "${1}0x7f", RegexOptions.Singleline);
        var dropped = Regex.Replace(xml, @"<vcpupin [^>]*/>", "");
        Assert.Contains("libvirt's read-back differs from the VM written: hostdev", DefinitionReadBack.Check(moved, xml) ?? "");
        Assert.Contains("vcpupin 0: wrote", DefinitionReadBack.Check(xml, dropped) ?? "");
    }

    [Fact]
    public void Numbers_are_compared_as_libvirt_reads_them()
    {
        // libvirt writes every address part back in hex: bus='11' (decimal) comes back as bus='0x0b', the same bus.
        var xml = GeneratedVm.Xml("cmp");
        var hostdevBus = new Regex("(<hostdev[^>]*>.*?<address [^>]*bus=')(0x[0-9a-f]+)", RegexOptions.Singleline);
        var hex = hostdevBus.Match(xml).Groups[2].Value;
        var otherBus = hostdevBus.Replace(xml, m => m.Groups[1].Value + Convert.ToInt32(hex, 16).ToString(System.Globalization.CultureInfo.InvariantCulture) + "0", 1);
        var octalVcpus = Regex.Replace(xml, @"<vcpu([^>]*)>1</vcpu>", "<vcpu$1>01</vcpu>");
        Assert.NotEqual(xml, octalVcpus);
        Assert.Null(DefinitionReadBack.Check(octalVcpus, xml));
        Assert.Contains("hostdev", DefinitionReadBack.Check(otherBus, xml) ?? "");
        var sameBus = hostdevBus.Replace(xml, m => m.Groups[1].Value + Convert.ToInt32(hex, 16).ToString(System.Globalization.CultureInfo.InvariantCulture), 1);
        Assert.NotEqual(xml, sameBus);
        Assert.Null(DefinitionReadBack.Check(sameBus, xml));
        Assert.Contains("the XML read back is not a domain", DefinitionReadBack.Check(xml, "<network/>") ?? "");
    }

    [Fact]
    public void New_define_refuses_a_taken_name_and_needs_connect_and_the_libvirt_format()
    {
        string[] request = ["new", "--gpu", "0000:0b:00", "--memory", "4G", "--vcpus", "4"];
        var taken = CliRun.Of([.. request, "--format", "libvirt", "--connect", "test:///default", "--define", "--name", "test"]);
        Assert.Equal(2, taken.ExitCode);
        Assert.Contains("vfiokit: --name: a domain named 'test' already exists on test:///default", taken.Error);
        Assert.Equal("", taken.Out);
        var noConnect = CliRun.Of([.. request, "--format", "libvirt", "--define"]);
        Assert.Equal(2, noConnect.ExitCode);
        Assert.Contains("--define: defines the VM in libvirt: give --connect URI", noConnect.Error);
        var script = CliRun.Of([.. request, "--format", "qemu", "--connect", "test:///default", "--define"]);
        Assert.Equal(2, script.ExitCode);
        Assert.Contains("--define: defines a libvirt domain: give --format libvirt", script.Error);
    }
}

/// <summary>`new --define`'s step against the suite's real libvirtd (qemu:///system): the definition as `virsh dumpxml
/// --inactive` shows it afterwards. Without KVM libvirt refuses type='kvm' for its QEMU, so there the test's copy is
/// type='qemu' (DomainForVirtType), and a type='kvm' VM is refused with libvirt's reason and leaves nothing.</summary>
[Collection(LibvirtdCollection.Name)]
public sealed class NewDefineOnLibvirtdTests : IDisposable
{
    private readonly string _name = "vfiokit-h14new-" + Guid.NewGuid().ToString("N")[..8];
    private readonly LibvirtdFixture _libvirtd;
    private readonly ITestOutputHelper _output;

    public NewDefineOnLibvirtdTests(LibvirtdFixture libvirtd, ITestOutputHelper output)
    {
        libvirtd.EnsureRunning();
        _libvirtd = libvirtd;
        _output = output;
    }

    public void Dispose() => LibvirtdFixture.Run("virsh", "-c", LibvirtdFixture.Uri, "undefine", "--keep-nvram", _name);

    private bool Defined() => LibvirtdFixture.Run("virsh", "-c", LibvirtdFixture.Uri, "dominfo", _name).Exit == 0;

    [Fact]
    public void The_vm_is_defined_as_generated_or_refused_with_nothing_left()
    {
        var generated = GeneratedVm.Xml(_name);
        using var c = LibvirtConnection.Open(LibvirtdFixture.Uri, readOnly: false);
        if (!_libvirtd.Kvm.Available)
        {
            var refused = DomainCreation.ForName(c, _name).Apply(generated, rb => DefinitionReadBack.Check(generated, rb));
            _output.WriteLine($"type='kvm' without KVM: {refused.Problem}");
            Assert.False(refused.Defined);
            Assert.Contains($"{LibvirtdFixture.Uri}: libvirt refused the domain XML", refused.Problem);
            Assert.False(Defined());
        }
        var xml = DomainForVirtType.Adapt(generated, _libvirtd.Kvm.Available ? VirtTypes.Kvm : VirtTypes.Qemu).Xml;
        var result = DomainCreation.ForName(c, _name).Apply(xml, rb => DefinitionReadBack.Check(xml, rb));
        Assert.True(result.Defined, result.Problem);
        var dump = LibvirtdFixture.Run("virsh", "-c", LibvirtdFixture.Uri, "dumpxml", "--inactive", _name);
        Assert.True(dump.Exit == 0, dump.Err);
        Assert.Null(DefinitionReadBack.Check(result.Xml, dump.Out));
        Assert.Contains("model='pcie-root-port'", dump.Out);
        Assert.Throws<InputException>(() => DomainCreation.ForName(c, _name));

        LibvirtdFixture.Run("virsh", "-c", LibvirtdFixture.Uri, "undefine", "--keep-nvram", _name);
        var undone = DomainCreation.ForName(c, _name).Apply(xml, _ => "injected: the read-back does not check out");
        Assert.False(undone.Defined);
        Assert.False(Defined());
    }
}
