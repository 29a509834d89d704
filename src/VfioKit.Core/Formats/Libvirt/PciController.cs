using System.Xml.Linq;
using VfioKit.Behaviour.Libvirt;

namespace VfioKit.Formats.Libvirt;

/// <summary>
/// A &lt;controller type='pci'&gt;: model (pcie-root, pcie-root-port, pcie-switch-upstream-port,
/// pcie-switch-downstream-port, pcie-to-pci-bridge, dmi-to-pci-bridge, pci-bridge, pci-root,
/// pci-expander-bus, pcie-expander-bus), the QEMU device in &lt;model name&gt; (pcie-root-port,
/// ioh3420, x3130-upstream, xio3130-downstream, pxb-pcie, ...) and the &lt;target&gt; options.
/// </summary>
public sealed record PciController(XElement Element)
{
    public int? Index => LibvirtNumber.ParseOrNull(Element.Attribute("index")?.Value);
    public string? Model => Element.Attribute("model")?.Value;
    public string? ModelName => Element.Element("model")?.Attribute("name")?.Value;
    public XElement? Target => Element.Element("target");
    public int? Chassis => LibvirtNumber.ParseOrNull(Target?.Attribute("chassis")?.Value);
    public int? Port => LibvirtNumber.ParseOrNull(Target?.Attribute("port")?.Value);
    public int? ChassisNr => LibvirtNumber.ParseOrNull(Target?.Attribute("chassisNr")?.Value);
    public int? BusNr => LibvirtNumber.ParseOrNull(Target?.Attribute("busNr")?.Value);
    public int? NumaNode => LibvirtNumber.ParseOrNull(Target?.Element("node")?.Value);
    /// <summary>target/@hotplug: "on", "off" or null.</summary>
    public string? Hotplug => Target?.Attribute("hotplug")?.Value;
    public string? Alias => Element.Element("alias")?.Attribute("name")?.Value;
    public DeviceAddress? Address => DeviceAddress.Of(Element);
    public int? Line => Xml.SourceXml.LineOf(Element);
}
