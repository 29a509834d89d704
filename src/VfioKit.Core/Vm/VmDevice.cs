using VfioKit.Pci;

namespace VfioKit.Vm;

/// <summary>
/// One PCI device of a VM, format-neutral: a QEMU `-device`, a libvirt &lt;controller&gt;/&lt;hostdev&gt;/...,
/// a Proxmox hostpciN. <see cref="Bus"/> and <see cref="Address"/> are as written (null when not given);
/// <see cref="Placement"/> is where the device ends up once placed the way QEMU/libvirt would.
/// Equality ignores <see cref="Source"/>, so the same configuration read from two files compares equal.
/// </summary>
public sealed record VmDevice
{
    /// <summary>The QEMU driver: "vfio-pci", "pcie-root-port", "e1000e", "virtio-net-pci", ...</summary>
    public required string Driver { get; init; }

    /// <summary>id=; a controller's id is also the name of the bus it provides.</summary>
    public string? Id { get; init; }

    /// <summary>bus= as written, or null for the machine's root bus.</summary>
    public string? Bus { get; init; }

    /// <summary>addr= as written, or null for "first free slot".</summary>
    public GuestAddress? Address { get; init; }

    /// <summary>multifunction=on.</summary>
    public bool Multifunction { get; init; }

    /// <summary>Root port / downstream port settings, for <see cref="ControllerModels.IsPort"/> drivers.</summary>
    public PortSettings? Port { get; init; }

    /// <summary>pxb-pcie/pxb settings.</summary>
    public ExpanderSettings? Expander { get; init; }

    /// <summary>pci-bridge settings.</summary>
    public BridgeSettings? Bridge { get; init; }

    /// <summary>vfio-pci settings (host function, ROM, x-vga).</summary>
    public PassthroughSettings? Passthrough { get; init; }

    /// <summary>Every other property as written, in order, so writers lose nothing.</summary>
    public ValueList<DeviceProperty> Properties { get; init; } = ValueList<DeviceProperty>.Empty;

    /// <summary>The resolved bus and address; null until placed.</summary>
    public DevicePlacement? Placement { get; init; }

    /// <summary>Where the device was read (file, line, token), for error messages and lint findings.</summary>
    public SourceLocation? Source { get; init; }

    /// <summary>The controller this device is, if it provides a bus.</summary>
    public ControllerModel? Controller => ControllerModels.TryFromDriver(Driver, out var m) ? m : null;

    public bool IsPassthrough => Driver == "vfio-pci";

    public bool IsImplicit => Placement?.Origin == AddressOrigin.Implicit;

    /// <summary>A name for messages and paths: the id, else the driver.</summary>
    public string Name => Id ?? Driver;

    /// <summary>The host function of a vfio-pci device with a literal address.</summary>
    public PciAddress? HostAddress => Passthrough?.Host.Address;

    public string? Property(string key)
    {
        string? value = null;
        foreach (var p in Properties) if (p.Key == key) value = p.Value;
        return value;
    }

    public bool Equals(VmDevice? other) =>
        other is not null &&
        Driver == other.Driver && Id == other.Id && Bus == other.Bus && Address == other.Address &&
        Multifunction == other.Multifunction && Equals(Port, other.Port) && Equals(Expander, other.Expander) &&
        Equals(Bridge, other.Bridge) && Equals(Passthrough, other.Passthrough) &&
        Properties.Equals(other.Properties) && Equals(Placement, other.Placement);

    public override int GetHashCode() => HashCode.Combine(Driver, Id, Bus, Address, Multifunction, Placement);

    public override string ToString() =>
        $"{Driver}{(Id is null ? "" : " id=" + Id)} @ {(Placement?.ToString() ?? (Bus ?? "(root)") + ":" + (Address?.ToString() ?? "auto"))}";
}
