using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using VfioKit.Pci;

namespace VfioKit.Host;

/// <summary>
/// One PCI node device as libvirt describes it (virNodeDeviceGetXMLDesc, docs/formatnode.html): address, class,
/// vendor and product (ids and libvirt's names), bound driver, IOMMU group with its members, NUMA node, the
/// pci-express link capability and status, and its /sys/devices path (the bridges above it). What libvirt does not
/// give (config space, reset methods, boot_vga, local CPUs, BARs) stays null; the libvirt host source lists it as absent.
/// </summary>
public static class NodeDeviceXml
{
    /// <summary>The function and its IOMMU group (number and members as libvirt lists them); null with a note when
    /// the XML is not a PCI device libvirt could describe.</summary>
    public static (PciFunction Function, IommuGroup? Group)? Parse(string name, string xml, ICollection<string> notes)
    {
        XElement root;
        try { root = XElement.Parse(xml); }
        catch (XmlException e)
        {
            notes.Add($"node device {name}: XML unreadable ({e.Message})");
            return null;
        }
        var pci = root.Elements("capability").FirstOrDefault(c => (string?)c.Attribute("type") == "pci");
        if (pci is null || Number(pci.Element("domain")?.Value) is not { } domain || Number(pci.Element("bus")?.Value) is not { } bus
            || Number(pci.Element("slot")?.Value) is not { } slot || Number(pci.Element("function")?.Value) is not { } function
            || domain > 0xffff || bus > 0xff || slot > 0x1f || function > 7)
        {
            notes.Add($"node device {name}: no PCI address in its XML");
            return null;
        }
        var address = new PciAddress(domain, (byte)bus, (byte)slot, (byte)function);
        var vendor = pci.Element("vendor");
        var product = pci.Element("product");
        var classCode = Number(pci.Element("class")?.Value) is { } code and <= 0xffffff ? PciClass.FromCode(code) : (PciClass?)null;
        var group = pci.Element("iommuGroup") is { } g && Number((string?)g.Attribute("number")) is { } n
            ? new IommuGroup(n, [.. g.Elements("address").Select(Address).OfType<PciAddress>().Order()])
            : null;
        var numa = Number((string?)pci.Element("numa")?.Attribute("node"));
        var bridge = pci.Elements("capability").Any(c => (string?)c.Attribute("type") is "pci-bridge" or "cardbus-bridge");
        var path = root.Element("path")?.Value;
        var f = new PciFunction
        {
            Address = address,
            VendorId = Number((string?)vendor?.Attribute("id")),
            DeviceId = Number((string?)product?.Attribute("id")),
            Class = classCode,
            VendorName = NonEmpty(vendor?.Value),
            DeviceName = NonEmpty(product?.Value),
            Driver = NonEmpty(root.Element("driver")?.Element("name")?.Value),
            IommuGroup = group?.Number,
            NumaNode = numa is >= 0 ? numa : null,
            // libvirt says pci-bridge from the header type; without it the header is unknown, not "no bridge".
            IsBridgeHeader = bridge ? true : null,
            Parents = path is null ? [] : CardSwitch.ParentsFromDevicePath(path, address),
            Pcie = Pcie(pci.Element("pci-express")),
        };
        return (f, group);
    }

    private static PcieFacts? Pcie(XElement? express)
    {
        PciLink? Link(string validity) => express!.Elements("link").FirstOrDefault(l => (string?)l.Attribute("validity") == validity) is { } l
            && double.TryParse((string?)l.Attribute("speed"), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var gts)
            && Number((string?)l.Attribute("width")) is { } w and > 0 and <= 32
            && LinkSpeed.FromGTs(gts) is { IsKnown: true } speed
                ? new PciLink(speed, w) : null;
        // An empty <pci-express/> (a host bridge) has no link to tell: no facts, as sysfs gives none.
        return express is null || Link("cap") is null && Link("sta") is null ? null : new PcieFacts(null, Link("cap"), Link("sta"), null, PcieSource.Libvirt);
    }

    private static PciAddress? Address(XElement a) =>
        Number((string?)a.Attribute("domain")) is { } d and <= 0xffff && Number((string?)a.Attribute("bus")) is { } b and <= 0xff
        && Number((string?)a.Attribute("slot")) is { } s and <= 0x1f && Number((string?)a.Attribute("function")) is { } f and <= 7
            ? new PciAddress(d, (byte)b, (byte)s, (byte)f) : null;

    /// <summary>libvirt writes node device numbers in decimal ("11") and attribute ids in hex ("0x10de").</summary>
    internal static int? Number(string? text)
    {
        var t = text?.Trim();
        if (string.IsNullOrEmpty(t)) return null;
        if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return int.TryParse(t.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var h) ? h : null;
        return int.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
