using VfioKit.Pci;

namespace VfioKit.Host;

/// <summary>
/// Finds the switch a card carries on its own board above its functions, as amdgpu does when it looks for the
/// platform's link (amdgpu_device_partner_bandwidth: bridges of vendor ATI above the GPU are internal to the
/// dGPU and skipped). The topmost such bridge is the card's upstream port; its link is the slot link.
/// </summary>
public static class CardSwitch
{
    /// <summary>The vendor id AMD/ATI GPUs and their on-board switch ports carry.</summary>
    public const int AmdVendorId = 0x1002;

    /// <summary>The slot link of an AMD function behind its card's own switch; null for any other function (an
    /// NVIDIA card, an AMD card straight on a host port, a function whose parents are not known).</summary>
    public static SlotLink? SlotLinkOf(PciFunction f, IReadOnlyDictionary<PciAddress, PciFunction> byAddress)
    {
        if (f.VendorId != AmdVendorId || f.IsBridge) return null;
        var onCard = new List<PciFunction>();
        foreach (var parent in f.Parents)
        {
            if (!byAddress.TryGetValue(parent, out var bridge) || bridge.VendorId != AmdVendorId || !bridge.IsBridge) break;
            onCard.Add(bridge);
        }
        if (onCard.Count == 0) return null;
        var top = onCard[^1];
        // A switch: its upstream port, or (type unknown when only 64 bytes of config were readable) two ports.
        var isSwitch = top.Pcie?.Type is PcieDeviceType.UpstreamPort || top.Pcie?.Type is null && onCard.Count >= 2;
        return isSwitch ? new SlotLink(top.Address, top.Pcie?.LinkCapability, top.Pcie?.LinkStatus) : null;
    }

    /// <summary>The functions with the slot link set on each that sits behind its card's own switch.</summary>
    public static List<PciFunction> WithSlotLinks(IReadOnlyList<PciFunction> functions)
    {
        var byAddress = functions.ToDictionary(f => f.Address);
        return functions.Select(f => SlotLinkOf(f, byAddress) is { } slot ? f with { SlotLink = slot } : f).ToList();
    }

    /// <summary>The bridges above a function, nearest first, from the link sysfs lists it by
    /// ("../../../devices/pci0000:00/0000:00:01.1/0000:01:00.0/0000:02:00.0/0000:03:00.0").</summary>
    public static IReadOnlyList<PciAddress> ParentsFromDevicePath(string linkTarget, PciAddress self)
    {
        var chain = new List<PciAddress>();
        foreach (var part in linkTarget.Split('/', StringSplitOptions.RemoveEmptyEntries))
            if (PciAddress.TryParse(part, out var a)) chain.Add(a);
        if (chain.Count == 0 || chain[^1] != self) return [];
        chain.RemoveAt(chain.Count - 1);
        chain.Reverse();
        return chain;
    }
}
