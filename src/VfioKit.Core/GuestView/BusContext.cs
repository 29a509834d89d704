using VfioKit.Vm;

namespace VfioKit.GuestView;

/// <summary>
/// Where a device is plugged, as QEMU's capability code asks it: is the bus PCI Express
/// (pci_bus_is_express), is it a root bus (pci_bus_is_root), and is the root complex above it express.
/// </summary>
/// <param name="Port">The root or downstream port whose link the bus is, if any.</param>
public sealed record BusContext(VmBus Bus, bool IsExpress, bool IsRoot, bool RootIsExpress, VmDevice? Port)
{
    public static BusContext Of(VmBus bus, VmTopology topology)
    {
        // Walk up through bridges and ports to the root bus (the machine's, or an expander's).
        var top = bus;
        for (var guard = 0; guard < 64 && !top.Kind.IsRoot() && top.ParentBus is { } parent && topology.FindBus(parent) is { } up; guard++)
            top = up;
        var port = bus.Kind == BusKind.PcieSlot ? bus.Owner : null;
        return new BusContext(bus, bus.Kind.IsExpress(), bus.Kind.IsRoot(), top.Kind == BusKind.PcieRoot, port);
    }
}
