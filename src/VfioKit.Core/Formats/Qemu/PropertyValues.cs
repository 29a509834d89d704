using System.Globalization;
using VfioKit.Diagnostics;
using VfioKit.Pci;
using VfioKit.Vm;

namespace VfioKit.Formats.Qemu;

/// <summary>Reads property values the way QEMU's option visitors do (booleans, integers with base 0, x-speed/x-width enums).</summary>
internal static class PropertyValues
{
    public static bool Bool(string key, string value, SourceLocation where) => value switch
    {
        "on" or "yes" or "true" or "y" => true,
        "off" or "no" or "false" or "n" => false,
        _ => throw Bad(where, key, value, "on or off"),
    };

    /// <summary>An unsigned integer like strtoull base 0: 0x1f hex, 017 octal, else decimal.</summary>
    public static int UInt(string key, string value, SourceLocation where, int max)
    {
        var ok = TryUInt(value, out var n);
        if (!ok || n > max) throw Bad(where, key, value, $"an integer from 0 to {max}");
        return (int)n;
    }

    public static bool TryUInt(string value, out long n)
    {
        n = 0;
        if (value.Length == 0) return false;
        if (value.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return value.Length > 2 && long.TryParse(value[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out n);
        if (value.Length > 1 && value[0] == '0')
        {
            foreach (var c in value[1..])
            {
                if (c is < '0' or > '7') return false;
                n = n * 8 + (c - '0');
                if (n > int.MaxValue) return false;
            }
            return true;
        }
        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out n);
    }

    /// <summary>x-speed: 2_5, 5, 8, 16 (QEMU 4.0), 32 and 64 (QEMU 9.0); qapi/common.json PCIELinkSpeed.</summary>
    public static LinkSpeed Speed(string key, string value, SourceLocation where) =>
        TrySpeed(value) ?? throw Bad(where, key, value, "one of 2_5, 5, 8, 16, 32, 64");

    /// <summary>An x-speed value, or null when it is not one QEMU knows.</summary>
    public static LinkSpeed? TrySpeed(string? value) => value switch
    {
        "2_5" => LinkSpeed.Gen1,
        "5" => LinkSpeed.Gen2,
        "8" => LinkSpeed.Gen3,
        "16" => LinkSpeed.Gen4,
        "32" => LinkSpeed.Gen5,
        "64" => LinkSpeed.Gen6,
        _ => null,
    };

    public static string SpeedText(LinkSpeed speed) => speed.Encoding switch
    {
        1 => "2_5",
        2 => "5",
        3 => "8",
        4 => "16",
        5 => "32",
        6 => "64",
        _ => throw new ArgumentOutOfRangeException(nameof(speed)),
    };

    /// <summary>x-width: 1, 2, 4, 8, 12, 16, 32 (qapi/common.json PCIELinkWidth).</summary>
    public static int Width(string key, string value, SourceLocation where) => value switch
    {
        "1" => 1, "2" => 2, "4" => 4, "8" => 8, "12" => 12, "16" => 16, "32" => 32,
        _ => throw Bad(where, key, value, "one of 1, 2, 4, 8, 12, 16, 32"),
    };

    public static GuestAddress Address(string value, SourceLocation where)
    {
        if (GuestAddress.TryParse(value, out var a)) return a;
        throw Bad(where, "addr", value, "SLOT[.FUNCTION] in hex, e.g. 0x1c.0x1");
    }

    private static InputException Bad(SourceLocation where, string key, string value, string expected) =>
        new(where.File, where.Line, where.Column, $"{key}={value}: expected {expected}");
}
