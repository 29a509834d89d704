using VfioKit.Fixing;
using VfioKit.Linting;
using VfioKit.Libvirt;
using VfioKit.Tests.Cli;
using VfioKit.Tests.Lab;
using Xunit.Abstractions;

namespace VfioKit.Tests.Libvirt;

/// <summary>
/// `fix DOMAIN --connect qemu:///system --define` against the real libvirtd the suite starts, with a type='qemu'
/// copy of the GPU-on-pcie.0 domain (no /dev/kvm here). After a failure the definition must be exactly what it
/// was, as `virsh dumpxml --inactive` prints it; the faults are injected at DomainRedefinition's seams: libvirt
/// refusing the new XML (its schema check), a read-back that does not check out, and the connection closing
/// between define and read-back.
/// </summary>
[Collection(LibvirtdCollection.Name)]
public sealed class FixDefineOnLibvirtdTests : IDisposable
{
    private const string Uri = LibvirtdFixture.Uri;
    private readonly string _name = "vfiokit-h14-" + Guid.NewGuid().ToString("N")[..8];
    private readonly TempDirectory _dir = new("vfiokit-fixdefine-");

    public FixDefineOnLibvirtdTests(LibvirtdFixture libvirtd, ITestOutputHelper output)
    {
        libvirtd.EnsureRunning();
        var xml = DomainForVirtType.Adapt(File.ReadAllText(TestPaths.DataFile("libvirt", "passthrough", "gpu-on-pcie0.xml")), VirtTypes.Qemu).Xml
            .Replace("<name>gpu-on-root-bus</name>", $"<name>{_name}</name>", StringComparison.Ordinal);
        var file = _dir.File("domain.xml");
        File.WriteAllText(file, xml);
        var define = LibvirtdFixture.Run("virsh", "-c", Uri, "define", file);
        Assert.True(define.Exit == 0, define.Err);
        output.WriteLine($"defined {_name} on {Uri}");
    }

    private string DumpInactive()
    {
        var dump = LibvirtdFixture.Run("virsh", "-c", Uri, "dumpxml", "--inactive", _name);
        Assert.True(dump.Exit == 0, dump.Err);
        return dump.Out;
    }

    [Fact]
    public void Fix_define_puts_the_gpu_behind_a_root_port_and_keeps_the_old_xml()
    {
        var before = DumpInactive();
        var keep = Path.Combine(_dir.Path, "kept");
        var run = CliRun.Of("fix", _name, "--connect", Uri, "--define", "--keep", keep);
        Assert.True(run.ExitCode == 0, run.Error);
        var kept = Path.Combine(keep, $"{_name}.before-fix.xml");
        Assert.Contains($"the old XML is kept in {kept}", run.Error);
        Assert.Equal(before.TrimEnd('\n'), File.ReadAllText(kept).TrimEnd('\n'));

        var after = DumpInactive();
        Assert.Contains("model='pcie-root-port'", after);
        // libvirt's own view: lint of what it now holds has no VK102, and a second fix changes nothing.
        var lint = CliRun.Of("lint", _name, "--connect", Uri, "--format", "json");
        Assert.DoesNotContain("VK102", lint.Out);
        var again = CliRun.Of("fix", _name, "--connect", Uri, "--define", "--keep", keep);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("nothing to fix; the definition is unchanged", again.Error);
        Assert.Equal(after, DumpInactive());
    }

    [Fact]
    public void When_libvirt_refuses_the_new_xml_the_definition_is_unchanged_byte_for_byte()
    {
        var before = DumpInactive();
        using var c = LibvirtConnection.Open(Uri, readOnly: false);
        var result = DomainRedefinition.Apply(c, _name,
            xml => xml.Replace("</devices>", "<no-such-device/></devices>", StringComparison.Ordinal), _ => null, _dir.Path);
        Assert.Equal(RedefinitionOutcome.RolledBack, result.Outcome);
        Assert.Contains("libvirt refused the domain XML", result.Problem);
        Assert.Equal(before, DumpInactive());
        Assert.True(File.Exists(result.KeptFile));
    }

    [Fact]
    public void When_the_read_back_does_not_check_out_the_old_definition_is_restored_byte_for_byte()
    {
        var before = DumpInactive();
        using var c = LibvirtConnection.Open(Uri, readOnly: false);
        string? seen = null;
        var (result, _) = DomainFix.Define(c, _name, new FixOptions(), _dir.Path);
        // That was a real fix; now undo it through a fix whose read-back check fails.
        Assert.Equal(RedefinitionOutcome.Defined, result.Outcome);
        var fixedXml = DumpInactive();
        var failed = DomainRedefinition.Apply(c, _name, xml => xml.Replace("<vcpu placement='static'>2</vcpu>", "<vcpu placement='static'>3</vcpu>", StringComparison.Ordinal),
            readBack => { seen = readBack; return "injected: the read-back is wrong"; }, _dir.Path);
        Assert.Equal(RedefinitionOutcome.RolledBack, failed.Outcome);
        Assert.Contains(">3</vcpu>", seen); // libvirt had the new definition before the rollback
        Assert.Equal(fixedXml, DumpInactive());
        Assert.NotEqual(before, fixedXml);
    }

    [Fact]
    public void When_the_connection_closes_between_define_and_read_back_a_new_one_restores_the_old_definition()
    {
        var before = DumpInactive();
        var c = LibvirtConnection.Open(Uri, readOnly: false);
        var result = DomainRedefinition.Apply(c, _name,
            xml => xml.Replace("<vcpu placement='static'>2</vcpu>", "<vcpu placement='static'>4</vcpu>", StringComparison.Ordinal),
            _ => { c.Dispose(); return "injected: the connection dropped"; }, _dir.Path);
        Assert.Equal(RedefinitionOutcome.RolledBack, result.Outcome);
        Assert.Equal(before, DumpInactive());
    }

    [Fact]
    public void Fleet_lints_the_real_libvirtd_beside_an_unreachable_host()
    {
        var run = CliRun.Of("fleet", "lint", "--connect", Uri, "--connect", "qemu+tcp://127.0.0.1:1/system", "--format", "json");
        Assert.Equal(3, run.ExitCode);
        using var doc = System.Text.Json.JsonDocument.Parse(run.Out);
        var host = doc.RootElement.GetProperty("hosts")[0];
        Assert.True(host.GetProperty("reached").GetBoolean());
        var domain = host.GetProperty("domains").EnumerateArray().Single(d => d.GetProperty("name").GetString() == _name);
        Assert.Contains(domain.GetProperty("findings").EnumerateArray(), f => f.GetProperty("rule").GetString() == "VK102");
    }

    [Fact]
    public void Libvirts_own_qemu_command_line_and_pci_node_devices_come_through_the_library()
    {
        using var c = LibvirtConnection.Open(Uri, readOnly: false); // libvirt forbids domxml-to-native read-only
        var argv = c.ToNative(c.DomainXml(_name, inactive: true));
        Assert.Contains("\"driver\":\"vfio-pci\",\"host\":\"0000:0b:00.0\"", argv);
        var devices = c.PciDevices();
        Assert.NotEmpty(devices);
        Assert.All(devices, d => Assert.StartsWith("pci_", d.Name));
        // Every one is a PCI device with its address, as `virsh nodedev-dumpxml` shows it.
        Assert.All(devices, d => Assert.Contains("<capability type='pci'>", d.Xml));
        Assert.Contains(devices, d => d.Name == "pci_0000_00_00_0" && d.Xml.Contains("<bus>0</bus>", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        LibvirtdFixture.Run("virsh", "-c", Uri, "undefine", "--nvram", _name);
        _dir.Dispose();
    }
}
