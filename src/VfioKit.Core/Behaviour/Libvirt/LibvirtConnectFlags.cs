namespace VfioKit.Behaviour.Libvirt;

/// <summary>
/// What each device plugs into (qemu_domain_address.c qemuDomainDeviceCalculatePCIConnectFlags): PCIe
/// devices (xHCI, e1000e, igb, bochs, host devices) take a PCIe slot on q35; virtio devices too (QEMU has
/// the transitional models, so libvirt treats virtio as PCIe); everything else is conventional PCI.
/// 0 means "not a PCI device".
/// </summary>
public static class LibvirtConnectFlags
{
    public static PciConnect Of(AddressableDevice d, DomainDefinition def)
    {
        var pci = PciConnect.PciDevice | PciConnect.AutoAssign;
        var pcie = def.HasPcieRoot ? PciConnect.PcieDevice | PciConnect.AutoAssign : pci;
        var virtio = pcie;
        var model = d.Model;
        // <interface type='hostdev'> is a host device in disguise: it is placed with the hostdevs.
        if (d.Kind == "interface" && d.IsHostdev) return pcie;
        switch (d.Kind)
        {
            case "controller":
                return d.Type switch
                {
                    "pci" => d.PciModel?.ConnectType() ?? PciConnect.None,
                    "sata" or "ide" => pci,
                    "usb" => model switch
                    {
                        "nec-xhci" or "qemu-xhci" => pcie,
                        "none" or "qusb1" or "qusb2" => PciConnect.None,
                        _ => pci,
                    },
                    "scsi" => model switch
                    {
                        "virtio-scsi" or "virtio-non-transitional" => virtio,
                        "ncr53c90" => PciConnect.None,
                        _ => pci,
                    },
                    "virtio-serial" => model == "virtio-transitional" ? pci : virtio,
                    _ => PciConnect.None,
                };
            case "filesystem":
                return d.Element?.Element("driver")?.Attribute("type")?.Value is "loop" or "nbd" or "ploop" ? PciConnect.None
                    : model == "virtio-transitional" ? pci : virtio;
            case "interface":
                return model switch
                {
                    "virtio" or "virtio-non-transitional" => virtio,
                    "virtio-transitional" => pci,
                    "e1000e" or "igb" => pcie,
                    "usb-net" => PciConnect.None,
                    _ => pci,
                };
            case "sound":
                return model is "es1370" or "ac97" or "ich6" or "ich9" ? pci : PciConnect.None;
            case "disk":
                if (model != "virtio") return PciConnect.None;
                return d.Element?.Attribute("model")?.Value == "virtio-transitional" ? pci : virtio;
            case "hostdev":
                if (d.Type != "pci" && d.Type != "mdev" && d.Type != "scsi_host") return PciConnect.None;
                return d.Type == "scsi_host" ? virtio : pcie;
            case "memballoon":
                return model switch { "virtio" or "virtio-non-transitional" => virtio, "virtio-transitional" => pci, _ => PciConnect.None };
            case "rng":
                return model == "virtio-transitional" ? pci : virtio;
            case "watchdog":
                return model == "i6300esb" ? pci : PciConnect.None;
            case "video":
                return model switch
                {
                    "virtio" => virtio,
                    "vga" or "cirrus" or "vmvga" or "xen" or "vbox" or "qxl" or "parallels" => pci,
                    "bochs" => pcie,
                    _ => PciConnect.None,
                };
            case "shmem":
                return pci;
            case "input":
                return model == "virtio" ? virtio : PciConnect.None;
            case "serial":
                return model == "pci-serial" ? pci : PciConnect.None;
            case "iommu":
                return model == "virtio" ? virtio | PciConnect.Integrated : PciConnect.None;
            case "vsock":
                return virtio;
            case "memory":
                return model is "virtio-pmem" or "virtio-mem" ? virtio : PciConnect.None;
            case "crypto":
                return pci;
            case "panic":
                return model == "pvpanic" ? pci | PciConnect.Integrated : PciConnect.None;
        }
        return PciConnect.None;
    }
}
