using VfioKit.Formats.Libvirt;
using VfioKit.Formats.Qemu;
using VfioKit.Tests.Lab;
using Xunit.Abstractions;

namespace VfioKit.Tests.Formats.Libvirt;

/// <summary>
/// The oracle no one here wrote: this machine's libvirtd (9.0) turns each domain XML into a QEMU command
/// line (`virsh domxml-to-native qemu-argv`); the QEMU reader's topology of that command line must equal
/// the libvirt reader's topology of the XML, device by device, including where libvirt puts devices that
/// have no address and the controllers it adds for them.
/// </summary>
[Collection(LibvirtdCollection.Name)]
public class LibvirtdAgreementTests(LibvirtdFixture libvirtd, ITestOutputHelper output)
{
    /// <summary>libvirt 9.0's domxml-to-native crashes the daemon (SIGSEGV, "Unexpected enum value ... for
    /// virDomainDeviceAddressType") on &lt;interface type='hostdev'&gt;: those pairs are only checked against
    /// libvirt's own expected argv (<see cref="LibvirtTestPairTests"/>).</summary>
    public static readonly string[] CrashLibvirtd90 =
        ["net-hostdev", "net-hostdev-bootorder", "net-hostdev-multidomain", "net-hostdev-vfio", "net-hostdev-vfio-multidomain", "net-virtio-teaming-hostdev"];

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(TestPaths.DataFile("libvirt", "tests"), "*.xml").Order(StringComparer.Ordinal))
            if (!CrashLibvirtd90.Contains(Path.GetFileNameWithoutExtension(f))) data.Add("tests/" + Path.GetFileName(f));
        foreach (var f in Directory.GetFiles(TestPaths.DataFile("libvirt", "passthrough"), "*.xml").Order(StringComparer.Ordinal))
            data.Add("passthrough/" + Path.GetFileName(f));
        return data;
    }

    public static IEnumerable<object[]> CasesOnBothPaths() => VirtTypes.Cross(Cases());

    [Fact]
    public void At_least_twenty_domains_are_checked() => Assert.True(Cases().Count >= 20, $"{Cases().Count} cases");

    [SkippableTheory]
    [MemberData(nameof(CasesOnBothPaths))]
    public void Libvirtd_places_every_device_where_the_xml_reader_does(string fixture, string virtType)
    {
        var libvirtdPath = libvirtd.Under(virtType, output);
        var doc = ForLibvirt90(DomainXml.Load(TestPaths.DataFile("libvirt", fixture)));
        var file = Path.Combine(Path.GetTempPath(), $"vfiokit-lv-{Environment.ProcessId}-{Path.GetFileName(fixture)}");
        File.WriteAllBytes(file, doc.Source.ToBytes());
        try
        {
            var (exit, stdout, stderr) = libvirtdPath.ToNative(file);
            Assert.True(exit == 0, $"virsh domxml-to-native {fixture}: {stderr}");
            var fromLibvirt = QemuCommandLine.Parse(stdout, fixture + " (libvirtd)");
            var fromXml = LibvirtTopology.Read(doc);
            var diffs = TopologyAgreement.Differences(fromXml, fromLibvirt);
            Assert.True(diffs.Count == 0, $"{fixture}:\n" + string.Join("\n", diffs) + "\n--- libvirt argv:\n" + stdout);
            Assert.True(TopologyAgreement.Compared(fromLibvirt) > 0, "no PCI device compared");
        }
        finally { File.Delete(file); }
    }

    /// <summary>
    /// What libvirt 9.0's domxml-to-native needs and does, applied with the editor so both readers see the
    /// same input: every PCI &lt;hostdev&gt; gets &lt;driver name='vfio'/&gt; (else "invalid PCI passthrough
    /// type 'default'"), and every &lt;interface&gt; loses its &lt;address&gt;, because 9.0's domxml-to-native
    /// rewrites each NIC as type='ethernet' and drops its address (qemuConnectDomainXMLToNative), which
    /// starting the domain would not.
    /// </summary>
    internal static DomainXml ForLibvirt90(DomainXml doc)
    {
        var edit = doc.Edit();
        foreach (var h in doc.Hostdevs.Where(h => h.IsPci))
        {
            if (h.Element.Element("driver") is { } driver) { if (driver.Attribute("name") is null) edit.SetAttribute(driver, "name", "vfio"); }
            else edit.InsertBefore(h.Element.Element("source")!, "<driver name='vfio'/>");
        }
        foreach (var nic in doc.Devices.Where(d => d.Kind == "interface"))
            if (nic.Element.Element("address") is { } a) edit.Remove(a);
        return edit.IsEmpty ? doc : DomainXml.Apply(edit);
    }
}
