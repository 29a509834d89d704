
namespace VfioKit.Behaviour.Libvirt;

/// <summary>The QEMU device libvirt 9.0 runs for a domain device (src/qemu/qemu_command.c), for the VM model.</summary>
public static class LibvirtDrivers
{
    public static string Of(AddressableDevice d)
    {
        if (d.IsHostdev) return d.Type == "scsi_host" ? "vhost-scsi-pci" : "vfio-pci";
        var m = d.Model;
        return d.Kind switch
        {
            "controller" => d.Type switch
            {
                "pci" => d.QemuDevice ?? "pci-bridge",
                "usb" => m switch
                {
                    "qemu-xhci" => "qemu-xhci",
                    "nec-xhci" => "nec-usb-xhci",
                    "piix3-uhci" => "piix3-usb-uhci",
                    "piix4-uhci" => "piix4-usb-uhci",
                    "ehci" => "usb-ehci",
                    "ich9-ehci1" => "ich9-usb-ehci1",
                    "ich9-uhci1" => "ich9-usb-uhci1",
                    "ich9-uhci2" => "ich9-usb-uhci2",
                    "ich9-uhci3" => "ich9-usb-uhci3",
                    "vt82c686b-uhci" => "vt82c686b-usb-uhci",
                    "pci-ohci" => "pci-ohci",
                    _ => m ?? "usb",
                },
                "scsi" => m switch
                {
                    "virtio-scsi" => "virtio-scsi-pci",
                    "lsilogic" => "lsi",
                    "lsisas1068" => "mptsas1068",
                    "lsisas1078" => "megasas",
                    "vmpvscsi" => "pvscsi",
                    _ => m ?? "lsi",
                },
                "virtio-serial" => "virtio-serial-pci",
                "sata" => "ich9-ahci",
                "ide" => "piix3-ide",
                _ => d.Type ?? "controller",
            },
            "interface" => m switch
            {
                "virtio" or "virtio-non-transitional" or "virtio-transitional" => "virtio-net-pci",
                "igb" => "igb",
                "e1000e" => "e1000e",
                _ => m ?? "rtl8139",
            },
            "sound" => m switch
            {
                "ich9" => "ich9-intel-hda",
                "ich6" => "intel-hda",
                "ac97" => "AC97",
                "es1370" => "ES1370",
                _ => m ?? "sound",
            },
            "disk" => "virtio-blk-pci",
            "memballoon" => "virtio-balloon-pci",
            "rng" => "virtio-rng-pci",
            "watchdog" => "i6300esb",
            "video" => d.Model switch
            {
                "qxl" => d.Alias == "video0" ? "qxl-vga" : "qxl",
                "cirrus" => "cirrus-vga",
                "vmvga" => "vmware-svga",
                "bochs" => "bochs-display",
                "virtio" => d.Alias == "video0" ? "virtio-vga" : "virtio-gpu-pci",
                _ => d.Alias == "video0" ? "VGA" : "secondary-vga",
            },
            "shmem" => m ?? "ivshmem-plain",
            "input" => (d.Type ?? "tablet") switch
            {
                "mouse" => "virtio-mouse-pci",
                "keyboard" => "virtio-keyboard-pci",
                "passthrough" => "virtio-input-host-pci",
                _ => "virtio-tablet-pci",
            },
            "serial" => "pci-serial",
            "filesystem" => d.Element?.Element("driver")?.Attribute("type")?.Value == "virtiofs" ? "vhost-user-fs-pci" : "virtio-9p-pci",
            "iommu" => "virtio-iommu-pci",
            "vsock" => "vhost-vsock-pci",
            "memory" => m == "virtio-mem" ? "virtio-mem-pci" : "virtio-pmem-pci",
            "crypto" => "virtio-crypto-pci",
            "panic" => "pvpanic-pci",
            _ => d.Kind,
        };
    }
}
