namespace VfioKit.Host;

/// <summary>
/// AMD GPU families that do not reset cleanly after a VM used them (the "AMD reset bug"): the second VM
/// start hangs or shows a black screen unless the vendor-reset module (github.com/gnif/vendor-reset) is
/// loaded. Device id ranges per family after vendor-reset's device table and amdgpu's PCI id list.
/// </summary>
public static class AmdResetBug
{
    public const int AmdVendorId = 0x1002;

    private static readonly (int First, int Last, string Family)[] Ranges =
    [
        (0x67C0, 0x67DF, "Polaris 10"),
        (0x6FDF, 0x6FDF, "Polaris 20"),
        (0x67E0, 0x67FF, "Polaris 11"),
        (0x6980, 0x699F, "Polaris 12"),
        (0x6860, 0x687F, "Vega 10"),
        (0x66A0, 0x66AF, "Vega 20"),
        (0x7310, 0x731F, "Navi 10"),
        (0x7340, 0x734F, "Navi 14"),
        (0x7360, 0x736F, "Navi 12"),
    ];

    // Ids in vendor-reset's table (gnif/vendor-reset src/device-db.h, commit ca6a270) outside the ranges above:
    // 0x1681 is listed with Navi 10's reset, 0x738C (Instinct MI100, Arcturus) with Vega 20's.
    private static readonly (int Id, string Family)[] Singles =
    [
        (0x1681, "Navi 10"),
        (0x738C, "Arcturus"),
    ];

    /// <summary>The family name when the device is one of them, else null.</summary>
    public static string? Family(int? vendorId, int? deviceId)
    {
        if (vendorId != AmdVendorId || deviceId is not { } id) return null;
        foreach (var (first, last, family) in Ranges)
            if (id >= first && id <= last) return family;
        foreach (var (single, family) in Singles)
            if (id == single) return family;
        return null;
    }
}
