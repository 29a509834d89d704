namespace VfioKit.Behaviour.Qemu;

/// <summary>
/// The PCI vendor and device IDs of QEMU's device models (hw/pci/pci_ids.h and each model's class_init),
/// so a probe can tell that the function found at a predicted address is the device predicted there.
/// A null device ID means "any": virtio models change theirs with the bus (transitional or modern).
/// </summary>
public static class QemuDeviceIds
{
    private static readonly Dictionary<string, (ushort Vendor, ushort? Device)> Ids = new(StringComparer.Ordinal)
    {
        ["mch"] = (0x8086, 0x29c0),
        ["i440FX"] = (0x8086, 0x1237),
        ["ICH9-LPC"] = (0x8086, 0x2918),
        ["ich9-ahci"] = (0x8086, 0x2922),
        ["ICH9-SMB"] = (0x8086, 0x2930),
        ["PIIX3"] = (0x8086, 0x7000),
        ["piix3-ide"] = (0x8086, 0x7010),
        ["PIIX4_PM"] = (0x8086, 0x7113),
        ["pcie-root-port"] = (0x1b36, 0x000c),
        ["ioh3420"] = (0x8086, 0x3420),
        ["x3130-upstream"] = (0x104c, 0x8232),
        ["xio3130-downstream"] = (0x104c, 0x8233),
        ["pcie-pci-bridge"] = (0x1b36, 0x000e),
        ["pci-bridge"] = (0x1b36, 0x0001),
        ["i82801b11-bridge"] = (0x8086, 0x244e),
        ["pxb-pcie"] = (0x1b36, 0x000b),
        ["pxb"] = (0x1b36, 0x0009),
        ["e1000e"] = (0x8086, 0x10d3),
        ["e1000"] = (0x8086, 0x100e),
        ["nvme"] = (0x1b36, 0x0010),
        ["qemu-xhci"] = (0x1b36, 0x000d),
        ["bochs-display"] = (0x1234, 0x1111),
        ["VGA"] = (0x1234, 0x1111),
        ["ich9-intel-hda"] = (0x8086, 0x293e),
        ["rtl8139"] = (0x10ec, 0x8139),
    };

    /// <summary>The IDs of a driver's functions, or null when vfiokit does not know them.</summary>
    public static (ushort Vendor, ushort? Device)? Of(string driver)
    {
        if (Ids.TryGetValue(driver, out var id)) return id;
        if (driver.StartsWith("virtio-", StringComparison.Ordinal)) return (0x1af4, null);
        return null;
    }

    public static bool Matches(string driver, ushort vendor, ushort device) =>
        Of(driver) is not { } id || (id.Vendor == vendor && (id.Device is null || id.Device == device)) ||
        // Machine types before 5.0 keep nvme's old Intel ID (the use-intel-id compat property).
        (driver == "nvme" && vendor == 0x8086 && device == 0x5845);
}
