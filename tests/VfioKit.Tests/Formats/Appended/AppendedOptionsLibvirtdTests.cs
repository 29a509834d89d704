using VfioKit.Formats.Libvirt;
using VfioKit.Formats.Qemu;
using VfioKit.Rules;
using VfioKit.Tests.Formats.Libvirt;
using VfioKit.Tests.Lab;
using Xunit.Abstractions;

namespace VfioKit.Tests.Formats.Appended;

/// <summary>
/// libvirtd is the oracle for what QEMU receives from a domain with &lt;qemu:commandline&gt;: its own -cpu (with
/// the Hyper-V flags) and then the appended one. The XML reading must equal the reading of that argv.
/// </summary>
[Collection(LibvirtdCollection.Name)]
public class AppendedOptionsLibvirtdTests(LibvirtdFixture libvirtd, ITestOutputHelper output)
{
    [Theory]
    [InlineData(AppendedDomain.Ivshmem)]
    [InlineData("ivshmem-plain,id=lg,memdev=looking-glass")]
    public void The_xml_reading_equals_the_reading_of_libvirts_own_command_line(string ivshmem)
    {
        using var dir = new TempDirectory("vfiokit-appended-");
        var file = dir.File("win10-lg.xml");
        var text = AppendedDomain.Xml(cpu: "host,kvm=off,hv_vendor_id=0123456789ab", ivshmem: ivshmem);
        File.WriteAllText(file, text);
        var (exit, argv, err) = libvirtd.Under(VirtTypes.Qemu, output).ToNative(file);
        Assert.True(exit == 0, err);
        output.WriteLine(argv);

        var fromArgv = QemuScript.Parse("libvirt argv", argv);
        // libvirt writes its own -cpu with the Hyper-V flags, and the appended one after it.
        var cpus = fromArgv.All("cpu").Select(a => a.Value!.Text).ToList();
        Assert.Equal(2, cpus.Count);
        Assert.Contains("hv", cpus[0], StringComparison.Ordinal);
        Assert.Equal("host,kvm=off,hv_vendor_id=0123456789ab", cpus[1]);

        var xml = DomainXml.Parse(text, "win10-lg.xml");
        var tuningXml = LibvirtTuningReader.Read(xml);
        var tuningArgv = QemuTuningReader.Read(fromArgv);
        Assert.Equal(tuningArgv.CpuModel, tuningXml.CpuModel);
        Assert.Equal(tuningArgv.HyperV.Order(), tuningXml.HyperV.Order());
        Assert.Equal(tuningArgv.KvmHidden, tuningXml.KvmHidden);
        Assert.Equal(tuningArgv.VendorIdSpoofed, tuningXml.VendorIdSpoofed);
        Assert.Equal(tuningArgv.SharedMemories.Select(s => s.SizeBytes), tuningXml.SharedMemories.Select(s => s.SizeBytes));

        var topologyXml = LibvirtTopology.Read(xml);
        var topologyArgv = QemuCommandLine.Read(fromArgv);
        Assert.Empty(TopologyAgreement.DifferencesFor(topologyXml, topologyArgv, ["lg", "hostdev0", "pci.1", "pci.2"]));
        Assert.NotNull(topologyXml.FindDevice("lg")?.Placement);
    }
}
