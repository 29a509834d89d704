using System.Xml.Linq;
using VfioKit.Pci;
using VfioKit.Behaviour.Libvirt;

namespace VfioKit.Formats.Libvirt;

/// <summary>A &lt;hostdev mode='subsystem' type='pci'&gt;: the host function passed through and how.</summary>
public sealed record Hostdev(XElement Element)
{
    public string? Mode => Element.Attribute("mode")?.Value;
    public string? Type => Element.Attribute("type")?.Value;
    public bool IsPci => Mode is null or "subsystem" && Type == "pci";
    /// <summary>"yes", "no" or null (libvirt's default is no), other text as written.</summary>
    public string? Managed => Element.Attribute("managed")?.Value;
    public XElement? SourceAddressElement => Element.Element("source")?.Element("address");
    /// <summary>The host function, when source/address is complete, readable and in range.</summary>
    public PciAddress? Source => SourceAsWritten is { Bus: >= 0 and <= 0xff, Device: >= 0 and <= 0x1f, Function: >= 0 and <= 7 } a ? a : null;

    /// <summary>source/address's numbers as written, in range or not: what the topology reader passes on.</summary>
    public PciAddress? SourceAsWritten
    {
        get
        {
            var a = SourceAddressElement;
            if (a is null) return null;
            var d = LibvirtNumber.ParseOrNull(a.Attribute("domain")?.Value) ?? 0;
            if (LibvirtNumber.ParseOrNull(a.Attribute("bus")?.Value) is not { } b ||
                LibvirtNumber.ParseOrNull(a.Attribute("slot")?.Value) is not { } s ||
                LibvirtNumber.ParseOrNull(a.Attribute("function")?.Value) is not { } f) return null;
            return new PciAddress(d, b, s, f);
        }
    }

    /// <summary>driver/@name: "vfio", "kvm" (legacy) or null (libvirt 9.0 then refuses domxml-to-native).</summary>
    public string? DriverName => Element.Element("driver")?.Attribute("name")?.Value;
    /// <summary>rom/@bar: "on", "off" or null.</summary>
    public string? RomBar => Element.Element("rom")?.Attribute("bar")?.Value;
    public string? RomFile => Element.Element("rom")?.Attribute("file")?.Value;
    /// <summary>rom/@enabled: "no" removes the ROM entirely (romfile='').</summary>
    public string? RomEnabled => Element.Element("rom")?.Attribute("enabled")?.Value;
    public string? Alias => Element.Element("alias")?.Attribute("name")?.Value;
    public DeviceAddress? Address => DeviceAddress.Of(Element);
    public int? Line => Xml.SourceXml.LineOf(Element);
}
