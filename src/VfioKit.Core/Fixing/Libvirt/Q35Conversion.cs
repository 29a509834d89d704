using System.Xml.Linq;
using VfioKit.Formats.Libvirt;
using VfioKit.Formats.Libvirt.Xml;
using VfioKit.Vm;

namespace VfioKit.Fixing;

/// <summary>
/// i440fx to q35 in a libvirt domain, the way virt-manager's "convert to q35" does it: the q35 machine type of
/// the same QEMU era, every guest PCI address and every PCI controller dropped so that libvirt places the
/// devices again on q35's PCI Express buses (root ports for PCIe devices, a pcie-to-pci-bridge for the rest),
/// IDE disks moved to SATA (q35 has no IDE controller), and what q35 lacks (IDE and floppy controllers,
/// floppy drives) removed. Unsafe: the guest sees new hardware (Windows re-detects it, may ask to reactivate).
/// </summary>
public static class Q35Conversion
{
    /// <summary>The oldest pc-q35-X.Y QEMU still knows (2.4); an older i440fx era gets plain q35.</summary>
    private static readonly MachineVersion OldestVersionedQ35 = new(2, 4);

    /// <summary>pc-i440fx-7.2 -> pc-q35-7.2, pc-i440fx-rhel7.6.0 -> pc-q35-rhel7.6.0, plain pc (or an era with
    /// no q35 of its own, before 2.4) -> q35.</summary>
    public static string MachineFor(string? i440fx)
    {
        if (i440fx is null || !i440fx.StartsWith("pc-i440fx-", StringComparison.Ordinal)) return "q35";
        var era = i440fx["pc-i440fx-".Length..];
        if (era.Length == 0) return "q35";
        if (MachineVersion.TryParse(era, out var v) && v < OldestVersionedQ35) return "q35";
        return "pc-q35-" + era;
    }

    /// <summary>The edit; null when the domain has no &lt;os&gt;&lt;type&gt; or &lt;devices&gt; to convert.</summary>
    public static XmlEdit? Edit(DomainXml domain, out IReadOnlyList<string> changes)
    {
        var done = new List<string>();
        changes = done;
        if (domain.Os?.TypeElement is not { } type || domain.DevicesElement is not { } devices) return null;
        var edit = domain.Edit();
        var machine = MachineFor(type.Attribute("machine")?.Value);
        edit.SetAttribute(type, "machine", machine);
        done.Add($"machine type {machine}");

        var removed = new HashSet<XElement>();
        void Drop(XElement e) { if (removed.Add(e)) edit.Remove(e); }

        var controllers = devices.Elements("controller").Where(c => c.Attribute("type")?.Value is "pci" or "ide" or "fdc").ToList();
        foreach (var c in controllers) Drop(c);
        if (controllers.Count > 0)
            done.Add("drop the " + string.Join(", ", controllers.Select(c => c.Attribute("model")?.Value ?? c.Attribute("type")!.Value).Distinct()) + " controller(s)");

        var floppies = devices.Elements("disk").Where(d => d.Attribute("device")?.Value == "floppy").ToList();
        foreach (var f in floppies) Drop(f);
        if (floppies.Count > 0) done.Add("drop the floppy drive(s) (q35 has no floppy controller)");

        var ide = 0;
        foreach (var disk in devices.Elements("disk").Where(d => !removed.Contains(d)))
        {
            if (disk.Element("target") is not { } target || target.Attribute("bus")?.Value != "ide") continue;
            edit.SetAttribute(target, "bus", "sata");
            // An IDE drive address (bus 1 = secondary channel) means nothing on SATA: libvirt assigns one.
            if (disk.Element("address") is { } a && a.Attribute("type")?.Value == "drive") Drop(a);
            ide++;
        }
        if (ide > 0) done.Add($"{ide} IDE disk(s) to SATA");

        var addresses = 0;
        foreach (var device in devices.Elements().Where(d => !removed.Contains(d)))
            foreach (var a in device.Elements("address").Where(a => a.Attribute("type")?.Value == "pci").ToList())
            {
                Drop(a);
                addresses++;
            }
        if (addresses > 0) done.Add($"drop {addresses} guest PCI address(es) for libvirt to place again");
        return edit;
    }
}
