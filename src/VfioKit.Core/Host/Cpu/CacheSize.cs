using System.Globalization;

namespace VfioKit.Host.Cpu;

/// <summary>Parses a cache's size file: "16384K", "8M" or a plain byte count.</summary>
public static class CacheSize
{
    public static long? TryParseKiB(string? text)
    {
        var t = text?.Trim();
        if (string.IsNullOrEmpty(t)) return null;
        long factor = 1;
        var digits = t;
        switch (char.ToUpperInvariant(t[^1]))
        {
            case 'K': digits = t[..^1]; break;
            case 'M': digits = t[..^1]; factor = 1024; break;
            case 'G': digits = t[..^1]; factor = 1024 * 1024; break;
            default:
                return long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) ? bytes / 1024 : null;
        }
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v * factor : null;
    }
}
