using VfioKit.Vm;

namespace VfioKit.Behaviour.Qemu;

/// <summary>What vfiokit knows about QEMU's device models: which are PCI, and of which <see cref="DeviceFamily"/>.</summary>
public static class DeviceCatalog
{
    private static readonly HashSet<string> ExpressDrivers = ["e1000e", "igb", "nvme", "pcie-pci-bridge"];

    private static readonly HashSet<string> ChipsetDrivers =
    [
        "mch", "ICH9-LPC", "ich9-ahci", "ICH9-SMB", "i440FX", "PIIX3", "PIIX4_PM", "piix3-ide", "piix4-ide", "pxb-host",
    ];

    private static readonly HashSet<string> ConventionalDrivers =
    [
        "e1000", "e1000-82540em", "e1000-82544gc", "e1000-82545em", "rtl8139", "pcnet", "ne2k_pci", "tulip", "vmxnet3",
        "i82550", "i82551", "i82557a", "i82557b", "i82557c", "i82558a", "i82558b", "i82559a", "i82559b", "i82559c", "i82559er",
        "i82562", "i82801",
        "VGA", "cirrus-vga", "qxl", "qxl-vga", "vmware-svga", "secondary-vga", "ati-vga",
        "ich9-intel-hda", "intel-hda", "AC97", "ES1370",
        "ich9-usb-ehci1", "ich9-usb-ehci2", "ich9-usb-uhci1", "ich9-usb-uhci2", "ich9-usb-uhci3", "ich9-usb-uhci4",
        "ich9-usb-uhci5", "ich9-usb-uhci6", "piix3-usb-uhci", "piix4-usb-uhci", "usb-ehci", "pci-ohci", "vt82c686b-usb-uhci",
        "ivshmem-plain", "ivshmem-doorbell", "ivshmem", "megasas", "megasas-gen2", "lsi53c895a", "lsi53c810", "mptsas1068",
        "pvscsi", "am53c974", "dc390", "ahci", "pci-testdev", "pvpanic-pci", "i6300esb", "edu", "pci-serial",
        "pci-serial-2x", "pci-serial-4x", "pci-ipmi-bt", "pci-ipmi-kcs", "sdhci-pci", "ramfb-pci", "ich9-ahci",
    ];

    public static DeviceFamily FamilyOf(string driver)
    {
        if (ControllerModels.TryFromDriver(driver, out _)) return DeviceFamily.Controller;
        if (driver == "vfio-pci") return DeviceFamily.Passthrough;
        if (ChipsetDrivers.Contains(driver)) return DeviceFamily.Chipset;
        if (ExpressDrivers.Contains(driver)) return DeviceFamily.Express;
        // bochs-display adds a PCIe endpoint capability on any express bus too (hw/display/bochs-display.c; seen by the probe).
        if (driver is "qemu-xhci" or "nec-usb-xhci" or "bochs-display") return DeviceFamily.XhciHybrid;
        if (driver.StartsWith("virtio-", StringComparison.Ordinal) || driver.StartsWith("vhost-", StringComparison.Ordinal))
            return IsPciName(driver) || driver is "virtio-vga" or "virtio-vga-gl" or "vhost-user-vga"
                ? DeviceFamily.VirtioHybrid
                : DeviceFamily.NotPci;
        if (ConventionalDrivers.Contains(driver) || IsPciName(driver)) return DeviceFamily.Conventional;
        return DeviceFamily.NotPci;
    }

    /// <summary>True for drivers known to be PCI devices.</summary>
    public static bool IsPci(string driver) => FamilyOf(driver) != DeviceFamily.NotPci;

    /// <summary>Display devices whose presence on the command line switches QEMU's default VGA off (vl.c default_list).</summary>
    public static bool DisablesDefaultVga(string driver) =>
        driver is "VGA" or "isa-vga" or "cirrus-vga" or "isa-cirrus-vga" or "vmware-svga" or "qxl-vga" or "virtio-vga"
            or "ati-vga" or "vhost-user-vga" or "virtio-vga-gl" or "vhost-user-vga-gl";

    private static bool IsPciName(string driver) =>
        driver.EndsWith("-pci", StringComparison.Ordinal) || driver.Contains("-pci-", StringComparison.Ordinal);
}
