using System.Xml.Linq;
using VfioKit.Behaviour.Qemu;
using VfioKit.Formats.Libvirt;
using VfioKit.Files;
using VfioKit.Formats.Libvirt.Xml;
using VfioKit.Host;
using VfioKit.Pci;

namespace VfioKit.KubeVirt;

/// <summary>
/// The link of each root port the hook added, set to the one the host's GPU function can train (its
/// <see cref="PciFunction.HostLink"/>: LnkCap, or the slot's link behind an AMD card switch) instead of the generic
/// port's 16GT/s x32. libvirt has no attribute for a port's x-speed/x-width; libvirt 8.2+ sets a device's frontend
/// properties from &lt;qemu:override&gt;, which names the device by a user alias. libvirt 9.0 keeps only aliases that
/// start with "ua-" in a definition (any other is dropped, and the override then names no device: seen on this
/// machine's libvirtd), so the port gets <see cref="AliasPrefix"/>N. The override element declares the qemu
/// namespace itself, so it holds whether or not the domain declares it (KubeVirt's does).
/// </summary>
public static class PortLinkOverride
{
    public const string AliasPrefix = "ua-vfiokit-port";
    public static readonly XNamespace Qemu = "http://libvirt.org/schemas/domain/qemu/1.0";

    /// <summary>The link QEMU takes at most from x-speed before 9.0 (2_5..16); 32 and 64 came with QEMU 9.0, and the
    /// sidecar cannot see the QEMU of the virt-launcher it serves, so a faster host link is advertised as 16GT/s.</summary>
    public static readonly LinkSpeed FastestEverywhere = LinkSpeed.Gen4;

    /// <summary>
    /// <paramref name="fixedXml"/> with a link override for every pcie-root-port controller whose index is not in
    /// <paramref name="inputIndexes"/> (the ports the hook added), when the host link of the function at guest
    /// function 0 behind it is known; otherwise the port keeps its default and <paramref name="notes"/> say why.
    /// </summary>
    /// <param name="host">The host's /sys: only the function at each added port's function 0 is read (and, behind an
    /// AMD card's switch, the card's ports), never the whole host.</param>
    public static string Apply(string fixedXml, IReadOnlySet<int> inputIndexes, SysfsRoot host, List<string> notes)
    {
        var domain = DomainXml.Parse(fixedXml);
        var added = domain.PciControllers.Where(c => c.Model == "pcie-root-port" && c.Index is { } i && !inputIndexes.Contains(i)).ToList();
        if (added.Count == 0) return fixedXml;
        var edit = domain.Edit();
        var devices = new List<XElement>();
        foreach (var port in added)
        {
            var index = port.Index!.Value;
            var gpu = domain.Hostdevs.Where(h => h.IsPci && h.Address is { IsPci: true, Bus: { } b, Function: 0 } && b == index)
                .Select(h => h.Source).FirstOrDefault(s => s is not null);
            var name = $"pcie-root-port index {index}";
            if (gpu is not { } address)
            {
                notes.Add($"{name}: no host function at its function 0; default link kept");
                continue;
            }
            if (Link(host, address, out var why) is not { } link)
            {
                notes.Add($"{name}: host link of {address} unknown ({why}); default link kept (16GT/s x32 on q35 >= 4.0)");
                continue;
            }
            if (link.Speed > FastestEverywhere)
            {
                notes.Add($"{name}: the host link of {address} is {link}; advertised at {FastestEverywhere} (x-speed above 16 needs QEMU 9.0, which the hook cannot see)");
                link = link with { Speed = FastestEverywhere };
            }
            var alias = port.Alias;
            if (alias is null)
            {
                alias = AliasPrefix + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
                edit.AppendChild(port.Element, new XElement("alias", new XAttribute("name", alias)));
            }
            else if (!alias.StartsWith("ua-", StringComparison.Ordinal))
            {
                notes.Add($"{name}: its alias '{alias}' is not a user alias (ua-...), which an override needs; default link kept");
                continue;
            }
            devices.Add(new XElement(Qemu + "device", new XAttribute("alias", alias),
                new XElement(Qemu + "frontend",
                    Property(PortLinkProperties.Speed, PortLinkProperties.SpeedText(link.Speed)),
                    Property(PortLinkProperties.Width, PortLinkProperties.WidthText(link.Width)))));
            notes.Add($"{name} ({alias}): link {link}, the host link of {address}, through <qemu:override>");
        }
        if (devices.Count == 0) return edit.IsEmpty ? fixedXml : edit.ToText();
        // One <qemu:override> per domain: a KubeVirt domain with one already (from another hook) gets the devices in it.
        if (domain.Root.Element(Qemu + "override") is { } existing) edit.AppendChild(existing, devices);
        else edit.AppendChild(domain.Root, new XElement(Qemu + "override", new XAttribute(XNamespace.Xmlns + "qemu", Qemu.NamespaceName), devices));
        return edit.ToText();
    }

    /// <summary>The link a port above <paramref name="address"/> should advertise, as QEMU's x-speed/x-width can say it;
    /// null with the reason when the host does not tell.</summary>
    internal static PciLink? Link(SysfsRoot host, PciAddress address, out string why)
    {
        why = "";
        var notes = new List<string>();
        if (HostFunctionReader.Read(host, address, notes) is not { } function)
        {
            why = $"no {HostFunctionReader.DirectoryOf(address)} under {host.Root}";
            return null;
        }
        if (function.HostLink is not { IsKnown: true } link)
        {
            why = "its Link Capabilities and sysfs max_link_speed/max_link_width do not say" + (notes.Count > 0 ? $" ({notes[0]})" : "");
            return null;
        }
        if (PortLinkProperties.TryWidth(PortLinkProperties.WidthText(link.Width)) is null)
        {
            why = $"x{link.Width} is no width QEMU's x-width takes ({PortLinkProperties.WidthValues})";
            return null;
        }
        return link;
    }

    private static XElement Property(string name, string value) =>
        new(Qemu + "property", new XAttribute("name", name), new XAttribute("type", "string"), new XAttribute("value", value));
}
