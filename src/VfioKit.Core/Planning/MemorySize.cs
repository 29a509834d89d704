using System.Globalization;

namespace VfioKit.Planning;

/// <summary>Parses a memory size as people write it: "16G", "16GiB", "512M", "1048576K", or bytes.</summary>
public static class MemorySize
{
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        var t = text?.Trim();
        if (string.IsNullOrEmpty(t)) return false;
        var end = t.Length;
        while (end > 0 && !char.IsAsciiDigit(t[end - 1])) end--;
        if (end == 0) return false;
        var unit = t[end..].Trim().ToUpperInvariant();
        long factor = unit switch
        {
            "" or "B" => 1,
            "K" or "KB" or "KIB" => 1L << 10,
            "M" or "MB" or "MIB" => 1L << 20,
            "G" or "GB" or "GIB" => 1L << 30,
            "T" or "TB" or "TIB" => 1L << 40,
            _ => 0,
        };
        if (factor == 0 || !long.TryParse(t[..end], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0) return false;
        try { bytes = checked(n * factor); }
        catch (OverflowException) { return false; }
        return true;
    }

    /// <summary>"2 MiB", "1 GiB", "512 KiB": the largest exact binary unit.</summary>
    public static string FormatKiB(long kib) => kib switch
    {
        >= 1024 * 1024 when kib % (1024 * 1024) == 0 => (kib / (1024 * 1024)).ToString(CultureInfo.InvariantCulture) + " GiB",
        >= 1024 when kib % 1024 == 0 => (kib / 1024).ToString(CultureInfo.InvariantCulture) + " MiB",
        _ => kib.ToString(CultureInfo.InvariantCulture) + " KiB",
    };
}
