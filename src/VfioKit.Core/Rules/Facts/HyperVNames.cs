namespace VfioKit.Rules;

/// <summary>The Hyper-V enlightenments VK201 wants, by the names vfiokit uses (QEMU's without "hv-").</summary>
public static class HyperVNames
{
    public static IReadOnlyList<string> Key { get; } =
        ["relaxed", "vapic", "spinlocks", "time", "vpindex", "synic", "stimer", "reset", "frequencies", "runtime"];

    /// <summary>"hv_relaxed", "hv-spinlocks=0x1fff", "hv-relaxed=on" to "relaxed"; null for anything else.</summary>
    public static string? FromQemuFlag(string flag)
    {
        var f = flag.Trim();
        if (!(f.StartsWith("hv_", StringComparison.Ordinal) || f.StartsWith("hv-", StringComparison.Ordinal))) return null;
        var name = f[3..];
        var eq = name.IndexOf('=');
        if (eq >= 0)
        {
            var value = name[(eq + 1)..].ToLowerInvariant();
            name = name[..eq];
            if (value is "off" or "false" or "no") return null;
        }
        return name.Replace('-', '_') switch
        {
            "vendor_id" => "vendor_id",
            var n => n,
        };
    }
}
