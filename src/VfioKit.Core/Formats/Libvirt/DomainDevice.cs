using System.Xml.Linq;

namespace VfioKit.Formats.Libvirt;

/// <summary>Any child of &lt;devices&gt;: its kind (element name), type, model, alias and address as written.</summary>
public sealed record DomainDevice(XElement Element)
{
    /// <summary>The element name: disk, interface, controller, hostdev, video, sound, memballoon, ...</summary>
    public string Kind => Element.Name.LocalName;
    public string? Type => Element.Attribute("type")?.Value;
    /// <summary>model/@type (interface, video, sound memballoon use model attributes or elements differently).</summary>
    public string? Model =>
        Element.Attribute("model")?.Value ?? Element.Element("model")?.Attribute("type")?.Value ?? Element.Element("model")?.Attribute("name")?.Value;
    /// <summary>The user alias (&lt;alias name='ua-...'/&gt;) when given.</summary>
    public string? Alias => Element.Element("alias")?.Attribute("name")?.Value;
    public DeviceAddress? Address => DeviceAddress.Of(Element);
    public int? Line => Xml.SourceXml.LineOf(Element);
}
