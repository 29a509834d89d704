using System.Globalization;

namespace VfioKit.Behaviour.Qemu;

/// <summary>
/// Sizes as QEMU reads them (util/cutils.c qemu_strtosz): "64M", "1G", "1.5G", "512k", "33554432" (bytes, or the
/// option's own default unit: ivshmem's size= is MiB). Read leniently, also as people write them on vfiokit's
/// command line: "16GiB", "16 GB". The one size parser of vfiokit.
/// </summary>
public static class QemuSize
{
    /// <summary>The size in bytes; null when the text is not a size or does not fit in 63 bits.</summary>
    public static long? Parse(string? text, long defaultUnit = 1)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim();
        var unit = defaultUnit;
        // "GiB", "GB" and "G" are the same unit; a lone "B" means bytes.
        if (t.EndsWith("iB", StringComparison.OrdinalIgnoreCase) && t.Length > 2 && char.IsAsciiLetter(t[^3])) t = t[..^2];
        else if (t.EndsWith('B') || t.EndsWith('b'))
        {
            t = t[..^1];
            if (t.Length == 0 || !char.IsAsciiLetter(t[^1])) unit = 1;
        }
        switch (t.Length > 0 ? char.ToUpperInvariant(t[^1]) : '0')
        {
            case 'K': unit = 1L << 10; t = t[..^1]; break;
            case 'M': unit = 1L << 20; t = t[..^1]; break;
            case 'G': unit = 1L << 30; t = t[..^1]; break;
            case 'T': unit = 1L << 40; t = t[..^1]; break;
        }
        if (!double.TryParse(t.TrimEnd(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !(v >= 0)) return null;
        var bytes = v * unit;
        return bytes < long.MaxValue ? (long)bytes : null;
    }
}
