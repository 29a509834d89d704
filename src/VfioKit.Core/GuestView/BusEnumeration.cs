using VfioKit.Pci;
using VfioKit.Vm;

namespace VfioKit.GuestView;

/// <summary>
/// The guest's bus numbers and which devices it finds, the way the firmware (SeaBIOS
/// pci_bios_init_bus_rec, OVMF PciBusDxe) numbers them and Linux keeps them: depth-first over bridges in
/// devfn order from bus 0, then each pxb-pcie's bus from its bus_nr. A slot's functions above 0 are only
/// scanned when function 0 exists and is multifunction; behind a PCIe port only slot 0 is scanned
/// (Linux pci_scan_slot / only_one_child).
/// </summary>
public static class BusEnumeration
{
    /// <summary>Guest address per device (by reference); devices the guest does not find are absent.</summary>
    public static IReadOnlyDictionary<VmDevice, PciAddress> Enumerate(VmTopology topology)
    {
        var result = new Dictionary<VmDevice, PciAddress>(ReferenceEqualityComparer.Instance);
        var next = 0;
        Walk(topology, topology.RootBusId, 0, ref next, result);
        foreach (var expander in topology.Devices.Where(d => d.Controller is { } m && m.IsExpander() && d.Id is not null))
        {
            if (!result.ContainsKey(expander)) continue;
            var busNr = expander.Expander?.BusNr ?? 0;
            var counter = busNr;
            Walk(topology, expander.Id!, busNr, ref counter, result);
        }
        return result;
    }

    /// <summary>The devices on a bus that the guest finds, in devfn order (the first of devices that collide).</summary>
    public static IEnumerable<VmDevice> Visible(VmTopology topology, string busId)
    {
        var bus = topology.FindBus(busId);
        var onBus = topology.On(busId)
            .GroupBy(d => d.Placement!.Address.Devfn)
            .Select(g => g.First())
            .OrderBy(d => d.Placement!.Address.Devfn)
            .ToList();
        var functionZero = onBus.Where(d => d.Placement!.Address.Function == 0).ToDictionary(d => d.Placement!.Address.Slot);
        foreach (var d in onBus)
        {
            var a = d.Placement!.Address;
            if (bus?.Kind == BusKind.PcieSlot && a.Slot != 0) continue;
            if (a.Function != 0 && (!functionZero.TryGetValue(a.Slot, out var f0) || !f0.Multifunction)) continue;
            yield return d;
        }
    }

    private static void Walk(VmTopology topology, string busId, int busNumber, ref int next, Dictionary<VmDevice, PciAddress> result)
    {
        foreach (var d in Visible(topology, busId))
        {
            var a = d.Placement!.Address;
            result[d] = new PciAddress(0, busNumber, a.Slot, a.Function);
            // Every bridge takes a bus number, even one nothing can name (no id).
            if (d.Controller is { } model && !model.IsExpander())
            {
                var secondary = ++next;
                if (secondary <= 255 && topology.SecondaryBusOf(d) is { } own) Walk(topology, own, secondary, ref next, result);
            }
        }
    }
}
