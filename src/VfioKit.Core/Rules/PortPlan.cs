using VfioKit.Fixing;
using VfioKit.Vm;

namespace VfioKit.Rules;

/// <summary>
/// The target of a device that must go behind a root port (VK102, VK106), planned once for its whole host
/// device, so that no later repair (VK103 gathering functions) leaves an added port empty: a function
/// whose host function 0 already sits behind a port joins that slot; otherwise one new port takes the
/// device's guest slot and the functions of the same host device on the same bus, functions mirroring the host.
/// </summary>
public static class PortPlan
{
    public static RepairIntent For(VmTopology t, VmDevice device, Func<IReadOnlyList<PlannedFunction>, RepairIntent> move)
    {
        var slot = t.SlotOf(device);
        var hostDevices = slot.Select(d => d.HostSlot()?.Device).OfType<string>().ToHashSet();
        var siblings = t.Configured
            .Where(d => d.IsPassthrough && !slot.Contains(d) && d.HostSlot() is { } h && hostDevices.Contains(h.Device))
            .ToList();
        if (siblings.FirstOrDefault(s => s.HostSlot()!.Value.Function == 0 && t.PortAbove(s) is not null) is { } function0)
            return new GatherFunctions(function0, slot.Where(d => d.IsPassthrough && d.HostSlot() is { } h && hostDevices.Contains(h.Device)).ToList());
        var together = siblings.Where(s => s.Placement?.Bus == device.Placement?.Bus).ToList();
        var kept = slot.Select(d => new PlannedFunction(d, d.Placement?.Address.Function ?? d.Address?.Function ?? 0)).ToList();
        if (together.Count == 0) return move(kept);
        var mirrored = slot.Concat(together).Select(d => new PlannedFunction(d, d.HostSlot()?.Function ?? d.Placement?.Address.Function ?? 0))
            .OrderBy(p => p.Function).ToList();
        // Two functions asking for one number (a slot-mate that is no host function): keep the guest's numbering.
        return move(mirrored.Select(p => p.Function).Distinct().Count() == mirrored.Count && mirrored[0].Function == 0 ? mirrored : kept);
    }
}
