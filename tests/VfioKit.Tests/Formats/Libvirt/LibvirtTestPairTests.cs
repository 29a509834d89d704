using VfioKit.Formats.Libvirt;
using VfioKit.Formats.Qemu;

namespace VfioKit.Tests.Formats.Libvirt;

/// <summary>
/// libvirt's own qemuxml2argv pairs (Data/libvirt/tests, see SOURCES.tsv): the domain XML read by the
/// libvirt reader and the argv libvirt's test suite expects, read by the QEMU reader, must place every
/// PCI device at the same bus, slot and function. The pairs come from libvirt's development tree; the
/// cases where that tree places address-less devices differently from the 9.0 we emulate are listed with
/// the reason, and must keep differing (a fix makes the test fail so the list shrinks).
/// </summary>
public class LibvirtTestPairTests
{
    private static string Dir => TestPaths.DataFile("libvirt", "tests");

    /// <summary>Cases whose expected argv cannot agree with libvirt 9.0 addressing, and why.</summary>
    public static readonly IReadOnlyDictionary<string, string> KnownDifferences = new Dictionary<string, string>
    {
        ["pci-autoadd-idx"] =
            "libvirt 9.0 appends the pci-bridges it adds after the XML's pci-bridge index 8, so index 8 takes slot 3 and 1..7 slots 4..10 " +
            "(confirmed with this machine's libvirtd); the newer tree inserts them in index order (1..8 at slots 3..10).",
    };

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Dir, "*.xml").Order(StringComparer.Ordinal)) data.Add(Path.GetFileNameWithoutExtension(f));
        return data;
    }

    [Fact]
    public void All_forty_pairs_are_present() => Assert.Equal(40, Cases().Count);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Xml_and_argv_place_every_device_alike(string name)
    {
        var fromXml = LibvirtTopology.Load(Path.Combine(Dir, name + ".xml"));
        var fromArgs = QemuCommandLine.Load(Path.Combine(Dir, name + ".args"));
        var diffs = TopologyAgreement.Differences(fromXml, fromArgs);
        if (KnownDifferences.TryGetValue(name, out var why))
            Assert.True(diffs.Count > 0, $"{name} now agrees: remove it from KnownDifferences ({why})");
        else
            Assert.True(diffs.Count == 0, $"{name}:\n" + string.Join("\n", diffs));
    }

    /// <summary>libvirt writes vfio-pci-nohotplug for a hostdev with display='on' or ramfb='on': the argv reading
    /// must take it for the same passthrough of the same host function as the XML reading.</summary>
    [Fact]
    public void A_vfio_pci_nohotplug_hostdev_reads_as_the_same_passthrough_from_xml_and_argv()
    {
        var args = File.ReadAllText(Path.Combine(Dir, "hostdev-pci-display-ramfb.args"));
        Assert.Contains("\"driver\":\"vfio-pci-nohotplug\"", args);
        var fromXml = LibvirtTopology.Load(Path.Combine(Dir, "hostdev-pci-display-ramfb.xml")).FindDevice("hostdev0")!;
        var fromArgs = QemuCommandLine.Load(Path.Combine(Dir, "hostdev-pci-display-ramfb.args")).FindDevice("hostdev0")!;
        Assert.True(fromArgs.IsPassthrough);
        Assert.True(fromXml.IsPassthrough);
        Assert.Equal("0000:06:12.5", fromArgs.HostAddress?.ToString());
        Assert.Equal(fromXml.HostAddress, fromArgs.HostAddress);
        Assert.Equal((fromXml.Placement!.Bus, fromXml.Placement.Address), (fromArgs.Placement!.Bus, fromArgs.Placement.Address));
    }
}
