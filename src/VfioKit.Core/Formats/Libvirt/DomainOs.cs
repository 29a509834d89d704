using System.Xml.Linq;

namespace VfioKit.Formats.Libvirt;

/// <summary>&lt;os&gt;: the machine type and firmware, as written.</summary>
public sealed record DomainOs(XElement Element)
{
    public XElement? TypeElement => Element.Element("type");
    /// <summary>type/@machine: "q35", "pc-q35-7.2", "pc", "pc-i440fx-2.12", ...</summary>
    public string? Machine => TypeElement?.Attribute("machine")?.Value;
    public string? Arch => TypeElement?.Attribute("arch")?.Value;
    /// <summary>os/@firmware ("efi", "bios") when firmware auto-selection is used.</summary>
    public string? Firmware => Element.Attribute("firmware")?.Value;
    /// <summary>loader's text (an OVMF path) when given.</summary>
    public string? Loader => Element.Element("loader")?.Value.Trim();
    /// <summary>True when the guest boots UEFI: firmware='efi' or an OVMF/edk2 loader.</summary>
    public bool IsUefi =>
        Firmware == "efi" || (Loader is { } l && (l.Contains("OVMF", StringComparison.OrdinalIgnoreCase) || l.Contains("edk2", StringComparison.OrdinalIgnoreCase)));
    public int? Line => Xml.SourceXml.LineOf(Element);
}
