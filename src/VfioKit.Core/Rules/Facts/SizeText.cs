using System.Globalization;

namespace VfioKit.Rules;

/// <summary>QEMU's size syntax: "64M", "1G", "33554432" (bytes), "512k".</summary>
public static class SizeText
{
    public static long? Parse(string? text, long defaultUnit = 1)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim();
        var unit = defaultUnit;
        var last = char.ToUpperInvariant(t[^1]);
        if (last is 'B') { t = t[..^1]; last = t.Length > 0 ? char.ToUpperInvariant(t[^1]) : '0'; unit = 1; }
        switch (last)
        {
            case 'K': unit = 1L << 10; t = t[..^1]; break;
            case 'M': unit = 1L << 20; t = t[..^1]; break;
            case 'G': unit = 1L << 30; t = t[..^1]; break;
            case 'T': unit = 1L << 40; t = t[..^1]; break;
        }
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 ? (long)(v * unit) : null;
    }
}
