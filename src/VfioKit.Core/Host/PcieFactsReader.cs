using VfioKit.Pci;

namespace VfioKit.Host;

/// <summary>A function's PCI Express facts: from its decoded config space when the PCIe capability is in the
/// bytes read, else from sysfs' link attributes (max_link_speed/width, current_link_speed/width).</summary>
internal static class PcieFactsReader
{
    /// <summary>Null when the bytes read do not reach a PCI Express capability (64 bytes as non-root, or conventional PCI).</summary>
    public static PcieFacts? FromConfig(ConfigSpace? config)
    {
        if (config?.Express is not { } express) return null;
        PciLink? Known(PciLink? link) => link is { IsKnown: true } l ? l : null;
        return new PcieFacts(express.DeviceType, Known(express.LinkCapability), Known(express.LinkStatus),
            config.Has(express.Offset + 4, 4) ? express.FunctionLevelReset : null, PcieSource.ConfigSpace);
    }

    public static PcieFacts? FromSysfs(string? maxSpeed, string? maxWidth, string? currentSpeed, string? currentWidth)
    {
        var cap = Link(maxSpeed, maxWidth);
        var sta = Link(currentSpeed, currentWidth);
        return cap is null && sta is null ? null : new PcieFacts(null, cap, sta, null, PcieSource.Sysfs);
    }

    private static PciLink? Link(string? speed, string? width)
    {
        var s = LinkSpeed.ParseSysfs(speed);
        var w = SysfsNumber.Int(width);
        // A link that is down reads "Unknown" and width 0; there is then no link to report.
        return s.IsKnown && w is > 0 and <= 32 ? new PciLink(s, w.Value) : null;
    }
}
