using System.Globalization;

namespace VfioKit.Host;

/// <summary>Parses the numbers sysfs writes ("0x8086", "-1", "16"): null for anything else, never an exception.</summary>
public static class SysfsNumber
{
    /// <summary>"0x030000" or "030000" as hexadecimal.</summary>
    public static int? Hex(string? text)
    {
        if (text is null) return null;
        var t = text.Trim();
        if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) t = t[2..];
        if (t.Length is 0 or > 8) return null;
        return int.TryParse(t, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : null;
    }

    public static int? Int(string? text) =>
        text is not null && int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;

    public static long? Long(string? text) =>
        text is not null && long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>"1" / "0" flags such as boot_vga.</summary>
    public static bool? Flag(string? text) => Int(text) switch { 1 => true, 0 => false, _ => null };
}
