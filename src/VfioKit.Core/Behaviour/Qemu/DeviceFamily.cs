namespace VfioKit.Behaviour.Qemu;

/// <summary>How a QEMU device model presents itself on PCI, which decides what the guest sees where it is plugged.</summary>
public enum DeviceFamily
{
    /// <summary>Not a PCI device (ide-hd, usb-tablet, isa-serial, ...).</summary>
    NotPci,
    /// <summary>A device that provides a bus (root port, switch port, bridge, expander).</summary>
    Controller,
    /// <summary>vfio-pci: the host function's own capabilities, rewritten by QEMU per bus (hw/vfio/pci.c).</summary>
    Passthrough,
    /// <summary>A PCI Express device (e1000e, igb, nvme): endpoint behind a port, integrated endpoint on a root bus.</summary>
    Express,
    /// <summary>virtio-*-pci: PCI Express only behind a port (hw/virtio/virtio-pci.c), conventional elsewhere.</summary>
    VirtioHybrid,
    /// <summary>qemu-xhci / nec-usb-xhci: a PCIe capability on any express bus (hw/usb/hcd-xhci-pci.c).</summary>
    XhciHybrid,
    /// <summary>A conventional PCI device (e1000, VGA, qxl, ich9-intel-hda, ...).</summary>
    Conventional,
    /// <summary>A host bridge or chipset function the machine creates (mch, ICH9-LPC, PIIX3, ...).</summary>
    Chipset,
}
