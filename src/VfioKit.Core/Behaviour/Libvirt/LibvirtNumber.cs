using System.Globalization;

namespace VfioKit.Behaviour.Libvirt;

/// <summary>
/// Numbers as libvirt reads them (virStrToLong_uip with base 0, like C strtoul): "0x1f" is hex, a
/// leading "0" is octal ("010" = 8), anything else decimal.
/// </summary>
public static class LibvirtNumber
{
    public static bool TryParse(string? text, out int value)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        long v;
        bool ok;
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            ok = long.TryParse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out v) && s.Length > 2;
        else if (s.Length > 1 && s[0] == '0')
            ok = TryOctal(s.AsSpan(1), out v);
        else
            ok = long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out v);
        if (!ok || v > int.MaxValue) return false;
        value = (int)v;
        return true;
    }

    public static int? ParseOrNull(string? text) => TryParse(text, out var v) ? v : null;

    /// <summary>The form libvirt writes for PCI address parts: "0x08".</summary>
    public static string Hex(int value, int digits) => "0x" + value.ToString("x" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static bool TryOctal(ReadOnlySpan<char> s, out long v)
    {
        v = 0;
        foreach (var c in s)
        {
            if (c is < '0' or > '7') return false;
            v = v * 8 + (c - '0');
            if (v > int.MaxValue) return false;
        }
        return true;
    }
}
