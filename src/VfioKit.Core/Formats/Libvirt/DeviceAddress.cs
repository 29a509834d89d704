using System.Xml.Linq;
using VfioKit.Behaviour.Libvirt;

namespace VfioKit.Formats.Libvirt;

/// <summary>
/// A device's &lt;address&gt; element read leniently: every attribute as written, and the PCI parts
/// as numbers when they parse (null when absent or unreadable; the raw text stays available).
/// </summary>
public sealed record DeviceAddress(XElement Element)
{
    public string? Type => Element.Attribute("type")?.Value;
    public bool IsPci => Type == "pci";
    public int? Domain => LibvirtNumber.ParseOrNull(Raw("domain"));
    public int? Bus => LibvirtNumber.ParseOrNull(Raw("bus"));
    public int? Slot => LibvirtNumber.ParseOrNull(Raw("slot"));
    public int? Function => LibvirtNumber.ParseOrNull(Raw("function"));
    /// <summary>"on", "off" or null; other text is returned as written.</summary>
    public string? Multifunction => Raw("multifunction");
    public int? Line => Xml.SourceXml.LineOf(Element);

    public string? Raw(string attribute) => Element.Attribute(attribute)?.Value;

    public static DeviceAddress? Of(XElement device) =>
        device.Element("address") is { } a ? new DeviceAddress(a) : null;
}
