using VfioKit.Vm;

namespace VfioKit.Behaviour.Qemu;

/// <summary>
/// Places every PCI device the way QEMU does: the machine's own devices first, then -device entries in
/// command-line order. A device without bus= goes to the root bus created last (a pxb-pcie's bus if one
/// came before it, because qbus_find_recursive walks the newest host bridge first), and a device without
/// addr= to the first slot whose function 0 is free (hw/pci/pci.c do_pci_register_device). Conflicts are
/// kept (both devices at the same address) for the guest-view checks to report, as QEMU would refuse them.
/// </summary>
public static class QemuAddressing
{
    public static VmTopology Place(VmTopology topology)
    {
        var root = topology.RootBusId;
        var used = new HashSet<(string Bus, int Devfn)>();
        var result = new List<VmDevice>();

        VmDevice PlaceOne(VmDevice d, string bus, AddressOrigin origin)
        {
            if (d.Address is { } a)
            {
                used.Add((bus, a.Devfn));
                return d with { Placement = new DevicePlacement(bus, a, origin) };
            }
            for (var devfn = 0; devfn < 256; devfn += 8)
            {
                if (used.Contains((bus, devfn))) continue;
                used.Add((bus, devfn));
                return d with { Placement = new DevicePlacement(bus, GuestAddress.FromDevfn(devfn), origin == AddressOrigin.Implicit ? origin : AddressOrigin.Assumed) };
            }
            return d with { Placement = null };
        }

        // Implicit devices already in the topology are made again from the machine and defaults.
        var configured = topology.Devices.Where(d => !d.IsImplicit).ToList();
        var unplaced = topology with { Devices = new ValueList<VmDevice>(configured) };
        foreach (var d in ImplicitDevices.For(unplaced)) result.Add(PlaceOne(d, root, AddressOrigin.Implicit));

        // Devices another reader already placed (libvirt's addressing) keep their place.
        foreach (var d in configured)
            if (d.Placement is { } p) used.Add((p.Bus, p.Address.Devfn));

        string? lastExpander = null;
        foreach (var d in configured)
        {
            if (d.Placement is not null)
            {
                result.Add(d);
                if (d.Controller is { } m && m.IsExpander() && d.Id is not null) lastExpander = d.Id;
                continue;
            }
            var bus = d.Bus ?? lastExpander ?? root;
            var origin = d.Bus is not null && d.Address is not null ? AddressOrigin.Explicit : AddressOrigin.Assumed;
            result.Add(PlaceOne(d with { Placement = null }, bus, origin));
            if (d.Controller is { } model && model.IsExpander() && d.Id is not null) lastExpander = d.Id;
        }
        return topology with { Devices = new ValueList<VmDevice>(result) };
    }
}
