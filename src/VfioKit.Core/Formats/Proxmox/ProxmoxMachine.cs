using System.Globalization;

namespace VfioKit.Formats.Proxmox;

/// <summary>
/// `machine:` as Proxmox writes it: "q35", "pc-q35-8.1", "pc-i440fx-7.2", "pc", with an optional
/// "+pveN" suffix and ",viommu=..." options. Empty means i440fx (Proxmox's default).
/// </summary>
public readonly record struct ProxmoxMachine(bool IsQ35, int? Major, int? Minor, string Raw)
{
    /// <summary>True when the type is pinned below 4.0: Proxmox then uses its pve-q35.cfg whose root
    /// ports are ioh3420 (2.5GT/s x1); from 4.0 on pve-q35-4.0.cfg gives pcie-root-port x-speed=16,x-width=32.</summary>
    public bool IsBefore4 => Major is { } m && m < 4;

    public static ProxmoxMachine Parse(string? value)
    {
        var raw = value?.Trim() ?? "";
        var type = raw.Split(',')[0];
        var plus = type.IndexOf('+');
        if (plus >= 0) type = type[..plus];
        var q35 = type == "q35" || type.StartsWith("pc-q35-", StringComparison.Ordinal);
        int? major = null, minor = null;
        var dash = type.LastIndexOf('-');
        if (dash > 0 && type[(dash + 1)..].Split('.') is [var ma, var mi]
            && int.TryParse(ma, NumberStyles.None, CultureInfo.InvariantCulture, out var a)
            && int.TryParse(mi, NumberStyles.None, CultureInfo.InvariantCulture, out var b))
        {
            major = a;
            minor = b;
        }
        return new ProxmoxMachine(q35, major, minor, raw);
    }
}
