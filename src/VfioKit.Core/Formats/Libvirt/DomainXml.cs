using System.Xml.Linq;
using VfioKit.Diagnostics;
using VfioKit.Vm;
using VfioKit.Formats.Libvirt.Xml;
using VfioKit.Behaviour.Libvirt;

namespace VfioKit.Formats.Libvirt;

/// <summary>
/// A libvirt domain XML document in the virtinst style: the parsed text is the source of truth and
/// everything else is a typed view over it. Read leniently (odd values come back as written), write
/// strictly through <see cref="Edit"/>, which changes only the bytes an edit names.
/// </summary>
public sealed class DomainXml
{
    public SourceXml Source { get; }
    public XElement Root => Source.Root;
    public string Origin => Source.Origin;
    public string Text => Source.Text;

    public DomainXml(SourceXml source)
    {
        if (source.Root.Name.LocalName != "domain" || source.Root.Name.Namespace != XNamespace.None)
            throw new InputException(source.Origin, SourceXml.LineOf(source.Root), SourceXml.ColumnOf(source.Root),
                $"not a libvirt domain: the root element is <{source.Root.Name.LocalName}>, expected <domain>");
        if (source.Root.Element("vcpu") is { } vcpu && LibvirtNumber.ParseOrNull(vcpu.Value) is { } count)
            VcpuCount.Checked(count, source.Origin, SourceXml.LineOf(vcpu), SourceXml.ColumnOf(vcpu), "<vcpu>");
        Source = source;
    }

    public static DomainXml Load(string path) => new(SourceXml.Load(path));
    public static DomainXml Parse(string text, string origin = "-") => new(SourceXml.Parse(text, origin));
    public static DomainXml FromBytes(ReadOnlySpan<byte> bytes, string origin) => new(SourceXml.FromBytes(bytes, origin));

    /// <summary>domain/@type: "kvm" or "qemu".</summary>
    public string? Type => Root.Attribute("type")?.Value;
    public string? Name => Root.Element("name")?.Value;
    public DomainOs? Os => Root.Element("os") is { } e ? new DomainOs(e) : null;
    /// <summary>os/type/@machine, the machine type ("q35", "pc-q35-8.2", "pc", ...).</summary>
    public string? Machine => Os?.Machine;
    public int? Vcpus => LibvirtNumber.ParseOrNull(Root.Element("vcpu")?.Value);
    public DomainCpu? Cpu => Root.Element("cpu") is { } e ? new DomainCpu(e) : null;
    public DomainFeatures? Features => Root.Element("features") is { } e ? new DomainFeatures(e) : null;
    public DomainCputune? Cputune => Root.Element("cputune") is { } e ? new DomainCputune(e) : null;
    public DomainMemoryBacking? MemoryBacking => Root.Element("memoryBacking") is { } e ? new DomainMemoryBacking(e) : null;
    public XElement? Numatune => Root.Element("numatune");
    public XElement? DevicesElement => Root.Element("devices");

    /// <summary>Every child of &lt;devices&gt; in document order.</summary>
    public IReadOnlyList<DomainDevice> Devices => DevicesElement?.Elements().Select(e => new DomainDevice(e)).ToList() ?? [];

    public IReadOnlyList<PciController> PciControllers =>
        DevicesElement?.Elements("controller").Where(c => c.Attribute("type")?.Value == "pci").Select(c => new PciController(c)).ToList() ?? [];

    /// <summary>Every &lt;hostdev&gt; (PCI or not: see <see cref="Hostdev.IsPci"/>).</summary>
    public IReadOnlyList<Hostdev> Hostdevs => DevicesElement?.Elements("hostdev").Select(h => new Hostdev(h)).ToList() ?? [];

    public IReadOnlyList<DomainShmem> Shmems => DevicesElement?.Elements("shmem").Select(s => new DomainShmem(s)).ToList() ?? [];

    /// <summary>The &lt;qemu:commandline&gt; block, when present.</summary>
    public QemuCommandline? QemuCommandline =>
        Root.Element(Libvirt.QemuCommandline.Namespace + "commandline") is { } e ? new QemuCommandline(e) : null;

    /// <summary>Starts an edit of this document (nothing changes until Apply / ToText).</summary>
    public XmlEdit Edit() => new(Source);

    /// <summary>Applies an edit and reads the result as a domain again.</summary>
    public static DomainXml Apply(XmlEdit edit) => new(edit.Apply());

    /// <summary>An InputException pointing at an element of this document.</summary>
    public InputException Error(XObject at, string message) =>
        new(Origin, SourceXml.LineOf(at), SourceXml.ColumnOf(at), message);
}
