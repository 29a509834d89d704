using System.Globalization;
using VfioKit.Behaviour.Qemu;
using VfioKit.Diagnostics;
using VfioKit.Pci;
using VfioKit.Vm;

namespace VfioKit.Formats.Qemu;

/// <summary>Reads property values the way QEMU's option visitors do (booleans, integers with base 0, the link properties of <see cref="PortLinkProperties"/>).</summary>
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

    /// <summary>x-speed (<see cref="PortLinkProperties"/>).</summary>
    public static LinkSpeed Speed(string key, string value, SourceLocation where) =>
        PortLinkProperties.TrySpeed(value) ?? throw Bad(where, key, value, "one of " + PortLinkProperties.SpeedValues);

    /// <summary>x-width (<see cref="PortLinkProperties"/>).</summary>
    public static int Width(string key, string value, SourceLocation where) =>
        PortLinkProperties.TryWidth(value) ?? throw Bad(where, key, value, "one of " + PortLinkProperties.WidthValues);

    public static GuestAddress Address(string value, SourceLocation where)
    {
        if (GuestAddress.TryParse(value, out var a)) return a;
        throw Bad(where, "addr", value, "SLOT[.FUNCTION] in hex, e.g. 0x1c.0x1");
    }

    private static InputException Bad(SourceLocation where, string key, string value, string expected) =>
        new(where.File, where.Line, where.Column, $"{key}={value}: expected {expected}");
}
