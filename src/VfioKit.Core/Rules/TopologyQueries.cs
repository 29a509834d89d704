using VfioKit.GuestView;
using VfioKit.Vm;

namespace VfioKit.Rules;

/// <summary>Questions several topology rules ask of the placed topology and the guest view.</summary>
public static class TopologyQueries
{
    /// <summary>The configured devices sharing a guest slot (bus and slot) with <paramref name="device"/>, itself included, by function.</summary>
    public static IReadOnlyList<VmDevice> SlotOf(this VmTopology t, VmDevice device) =>
        device.Placement is not { } p
            ? [device]
            : t.Configured.Where(d => d.Placement is { } q && q.Bus == p.Bus && q.Address.Slot == p.Address.Slot)
                .OrderBy(d => d.Placement!.Address.Function).ToList();

    /// <summary>The port (root or downstream) whose bus a device sits on, or null.</summary>
    public static VmDevice? PortAbove(this VmTopology t, VmDevice device) =>
        device.Placement is { } p && t.FindBus(p.Bus)?.Owner is { } owner && owner.Controller is { } m && m.IsPort() ? owner : null;

    /// <summary>The physical device a passed-through function belongs to and its host function number:
    /// from a literal address, or from a symbolic "$VAR.N" host (the seed's host=$NVIDIA.0).</summary>
    public static (string Device, int Function)? HostSlot(this VmDevice device)
    {
        if (device.Passthrough?.Host is not { } host) return null;
        if (host.Address is { } a) return (a.Slot.ToString(), a.Function);
        // host=$GPU.0 and host=${GPU}.1: one device written two ways.
        var text = host.Key;
        var dot = text.LastIndexOf('.');
        return dot > 0 && dot == text.Length - 2 && char.IsAsciiDigit(text[^1]) ? (text[..dot], text[^1] - '0') : null;
    }
}
