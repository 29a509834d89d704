using VfioKit.Formats.Libvirt;
using VfioKit.Formats.Libvirt.Xml;
using VfioKit.Formats.Qemu;
using VfioKit.Tests.Lab;
using VfioKit.Vm;
using Xunit.Abstractions;

namespace VfioKit.Tests.Formats.Libvirt;

/// <summary>
/// The writer turns a VM topology (here read from QEMU command lines) into libvirt XML that libvirt's
/// schema accepts (virt-xml-validate), that the libvirt reader reads back to the same placement, and that
/// the real libvirtd turns back into a QEMU command line with the same topology.
/// </summary>
[Collection(LibvirtdCollection.Name)]
public class LibvirtWriterTests(LibvirtdFixture libvirtd, ITestOutputHelper output)
{
    public static TheoryData<string, string[]> Topologies() => new()
    {
        // The seed's layout: GPU + audio as one multifunction device behind an ioh3420 at index 8.
        { "gpu-audio-ioh3420", ["-M", "pc-q35-7.2",
            "-device", "ioh3420,id=pci.8,chassis=8,port=0x10,bus=pcie.0,addr=0x1c",
            "-device", "vfio-pci,host=0000:0b:00.0,id=hostdev0,bus=pci.8,addr=0x0.0,multifunction=on",
            "-device", "vfio-pci,host=0000:0b:00.1,id=hostdev1,bus=pci.8,addr=0x0.1"] },
        // The GPU directly on pcie.0 (what VK102 warns about), ROM BAR off.
        { "gpu-on-pcie0", ["-M", "q35",
            "-device", "vfio-pci,host=0000:0b:00.0,id=hostdev0,bus=pcie.0,addr=0x5.0,multifunction=on,rombar=0",
            "-device", "vfio-pci,host=0000:0b:00.1,id=hostdev1,bus=pcie.0,addr=0x5.1"] },
        // virt-manager's default: one generic root port per function, ports packed into slot 2.
        { "one-port-per-function", ["-M", "q35",
            "-device", "pcie-root-port,id=pci.1,chassis=1,port=0x10,bus=pcie.0,addr=0x2.0,multifunction=on",
            "-device", "pcie-root-port,id=pci.2,chassis=2,port=0x11,bus=pcie.0,addr=0x2.1",
            "-device", "vfio-pci,host=0000:0b:00.0,id=hostdev0,bus=pci.1,addr=0x0",
            "-device", "vfio-pci,host=0000:0b:00.1,id=hostdev1,bus=pci.2,addr=0x0"] },
        // A NUMA-local GPU: pxb-pcie on node 0 with a root port behind it, and a switch on pcie.0.
        { "expander-and-switch", ["-M", "q35",
            "-device", "pxb-pcie,id=pci.1,bus_nr=0x80,numa_node=0,bus=pcie.0,addr=0x3",
            "-device", "pcie-root-port,id=pci.2,chassis=2,port=0x0,bus=pci.1,addr=0x0",
            "-device", "vfio-pci,host=0000:41:00.0,id=hostdev0,bus=pci.2,addr=0x0.0,multifunction=on",
            "-device", "vfio-pci,host=0000:41:00.1,id=hostdev1,bus=pci.2,addr=0x0.1",
            "-device", "pcie-root-port,id=pci.3,chassis=3,port=0x20,bus=pcie.0,addr=0x4",
            "-device", "x3130-upstream,id=pci.4,bus=pci.3,addr=0x0",
            "-device", "xio3130-downstream,id=pci.5,chassis=5,port=0x0,bus=pci.4,addr=0x0",
            "-device", "vfio-pci,host=0000:0c:00.0,id=hostdev2,bus=pci.5,addr=0x0"] },
    };

    public static IEnumerable<object[]> TopologiesOnBothPaths() => VirtTypes.Cross(Topologies());

    [SkippableTheory]
    [MemberData(nameof(TopologiesOnBothPaths))]
    public void Written_domains_validate_read_back_and_convert_to_the_same_topology(string name, string[] argv, string virtType)
    {
        var libvirtdPath = libvirtd.Under(virtType, output);
        var topology = QemuCommandLine.FromArgv(argv);
        var xml = LibvirtWriter.Domain(topology, name);
        var file = Path.Combine(Path.GetTempPath(), $"vfiokit-writer-{Environment.ProcessId}-{name}.xml");
        File.WriteAllText(file, xml);
        try
        {
            var (exit, _, err) = LibvirtdFixture.Validate(file);
            Assert.True(exit == 0, $"virt-xml-validate {name}: {err}\n{xml}");

            // libvirt adds its default USB controller (and a root port for it): compare the written devices.
            var ids = topology.Configured.Select(d => d.Id!).ToList();
            var readBack = LibvirtTopology.Read(DomainXml.Parse(xml, name));
            Assert.Empty(TopologyAgreement.DifferencesFor(readBack, topology, ids));

            var (nativeExit, stdout, stderr) = libvirtdPath.ToNative(file);
            Assert.True(nativeExit == 0, $"domxml-to-native {name}: {stderr}\n{xml}");
            var viaLibvirt = QemuCommandLine.Parse(stdout, name + " (libvirtd)");
            Assert.Empty(TopologyAgreement.Differences(readBack, viaLibvirt)); // everything, libvirt's additions too
            Assert.Empty(TopologyAgreement.DifferencesFor(topology, viaLibvirt, ids));
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void Port_settings_and_rom_are_written_as_libvirt_spells_them()
    {
        var topology = QemuCommandLine.FromArgv(["-M", "q35",
            "-device", "ioh3420,id=pci.8,chassis=8,port=0x10,bus=pcie.0,addr=0x1c",
            "-device", "vfio-pci,host=0000:0b:00.0,id=hostdev0,bus=pci.8,addr=0x0,romfile=/usr/share/vgabios/gpu.rom"]);
        var devices = ElementText.Of(LibvirtWriter.Devices(topology));
        Assert.Contains("<controller type='pci' index='8' model='pcie-root-port'>", devices);
        Assert.Contains("<model name='ioh3420' />", devices);
        Assert.Contains("<target chassis='8' port='0x10' />", devices);
        Assert.Contains("<address type='pci' domain='0x0000' bus='0x00' slot='0x1c' function='0x0' />", devices);
        Assert.Contains("<rom file='/usr/share/vgabios/gpu.rom' />", devices);
        Assert.Contains("<address type='pci' domain='0x0000' bus='0x08' slot='0x00' function='0x0' />", devices);
    }

    [Fact]
    public void A_symbolic_host_cannot_be_written()
    {
        var topology = QemuCommandLine.FromArgv(["-M", "q35", "-device", "vfio-pci,host=$GPU.0,id=hostdev0,bus=pcie.0,addr=0x5"]);
        Assert.Throws<InvalidOperationException>(() => LibvirtWriter.Devices(topology));
    }
}
