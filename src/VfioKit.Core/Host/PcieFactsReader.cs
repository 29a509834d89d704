using VfioKit.Pci;

namespace VfioKit.Host;

/// <summary>A function's PCI Express facts: from its decoded config space when the PCIe capability is in the
/// bytes read, else from sysfs' link attributes (max_link_speed/width, current_link_speed/width).</summary>
internal static class PcieFactsReader
{
    public static PcieFacts? FromConfig(byte[]? config) => null; // replaced by the pci decoder on merge

    public static PcieFacts? FromSysfs(string? maxSpeed, string? maxWidth, string? currentSpeed, string? currentWidth)
    {
        var cap = Link(maxSpeed, maxWidth);
        var sta = Link(currentSpeed, currentWidth);
        return cap is null && sta is null ? null : new PcieFacts(null, cap, sta, null, PcieSource.Sysfs);
    }

    private static LinkState? Link(string? speed, string? width)
    {
        var s = LinkSpeed.ParseSysfs(speed);
        var w = SysfsNumber.Int(width);
        // A link that is down reads "Unknown" and width 0; there is then no link to report.
        return s.IsKnown && w is > 0 and <= 32 ? new LinkState(s, w.Value) : null;
    }
}

internal static class ConfigHeader
{
    public static bool? IsBridge(byte[]? config) => null; // replaced by the pci decoder on merge
}
