using System.Xml.Linq;

namespace VfioKit.Behaviour.Libvirt;

/// <summary>
/// One device of the domain as libvirt's address assignment sees it (virDomainDeviceInfo): its kind and
/// model, alias, PCI connect flags, and address. Implicit devices libvirt adds (default USB controller,
/// memballoon, q35's SATA controller, root ports) have no element. Mutable only while being placed.
/// </summary>
public sealed class AddressableDevice
{
    /// <summary>The element name of the device: controller, interface, hostdev, disk, video, ...</summary>
    public required string Kind { get; init; }
    /// <summary>type= (controller type, interface type, hostdev type, ...).</summary>
    public string? Type { get; init; }
    /// <summary>The model as libvirt resolved it (controller model, net model, video type, sound model, ...).</summary>
    public string? Model { get; set; }
    /// <summary>Controller index (controllers only).</summary>
    public int Index { get; set; } = -1;
    public XElement? Element { get; init; }
    public string Alias { get; set; } = "";
    public PciConnect Flags { get; set; }
    /// <summary>The address: from the XML, or assigned.</summary>
    public LibvirtPciAddress? Address { get; set; }
    /// <summary>The address came from the XML.</summary>
    public bool Explicit { get; set; }
    /// <summary>multifunction as written ("on"/"off") or set by libvirt for function 0 of a shared slot.</summary>
    public string? Multifunction { get; set; }
    /// <summary>The XML has an &lt;address&gt; that is not a PCI one (drive, usb, virtio-serial, unassigned, ...).</summary>
    public string? OtherAddressType { get; init; }
    /// <summary>For PCI controllers: target/@hotplug as written ("on", "off" or null).</summary>
    public string? Hotplug { get; init; }
    /// <summary>For PCI controllers: target/node, the NUMA node of an expander bus.</summary>
    public int? NumaNode { get; init; }
    public int? Chassis { get; set; }
    public int? Port { get; set; }
    public int? ChassisNr { get; set; }
    public int? BusNr { get; set; }
    /// <summary>Which libvirt controller models this PCI controller is, when it is one.</summary>
    public PciControllerKind? PciModel { get; set; }
    /// <summary>The QEMU device of a PCI controller (model name or libvirt's default).</summary>
    public string? QemuDevice { get; set; }
    /// <summary>A &lt;hostdev&gt; or an &lt;interface type='hostdev'&gt; (its <see cref="Element"/> holds the source).</summary>
    public bool IsHostdev { get; init; }

    /// <summary>libvirt would place it (virDeviceInfoPCIAddressIsWanted): no address, or a PCI one without bus/slot.</summary>
    public bool Wanted => Address is null && OtherAddressType is null;

    public override string ToString() => $"{Kind} {Alias} {Address}";
}
