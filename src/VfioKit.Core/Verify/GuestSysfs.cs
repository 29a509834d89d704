using System.Collections.Immutable;
using VfioKit.Host;
using VfioKit.Pci;
using VfioKit.Files;

namespace VfioKit.Verify;

/// <summary>
/// Reads the PCI functions of the Linux system vfiokit runs in (the guest, when verify runs inside it)
/// with the same sysfs reader and config-space decoder as <c>vfiokit host</c>. The parent of a function
/// is the directory above it in /sys/devices (sys/bus/pci/devices/X links there).
/// </summary>
public static class GuestSysfs
{
    public static GuestInventory Read(SysfsRoot root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var notes = new List<string>();
        var functions = ImmutableArray.CreateBuilder<SeenFunction>();
        foreach (var name in root.ListOrEmpty("sys/bus/pci/devices").Order(StringComparer.Ordinal))
        {
            if (!PciAddress.TryParse(name, out var address)) continue;
            var f = PciFunctionReader.Read(root, address, notes);
            var pcie = f.Pcie;
            // As non-root only 64 bytes of config space are readable: the type is then unknown, the links come from sysfs.
            var capabilitiesRead = pcie?.Source == PcieSource.ConfigSpace || f.ConfigBytes >= 256;
            functions.Add(new SeenFunction(
                address, f.Class?.Code, f.VendorId, f.DeviceId,
                pcie?.Type, capabilitiesRead,
                pcie?.LinkCapability, pcie?.LinkStatus, ParentOf(root, name), f.Description));
        }
        return new GuestInventory(GuestSources.Sysfs, functions.ToImmutable());
    }

    private static PciAddress? ParentOf(SysfsRoot root, string name)
    {
        if (!root.TryReadLink("sys/bus/pci/devices/" + name, out var target)) return null;
        var parts = target.TrimEnd('/').Split('/');
        return parts.Length >= 2 && PciAddress.TryParse(parts[^2], out var parent) ? parent : null;
    }
}
