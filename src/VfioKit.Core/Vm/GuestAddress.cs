using System.Globalization;

namespace VfioKit.Vm;

/// <summary>
/// Where a device sits on its bus: slot (0-31) and function (0-7), QEMU's `addr=` (devfn).
/// The bus is given separately, by id, because guest bus numbers are only known after enumeration.
/// </summary>
public readonly record struct GuestAddress(int Slot, int Function) : IComparable<GuestAddress>
{
    public int Devfn => (Slot << 3) | Function;

    public static GuestAddress FromDevfn(int devfn) => new(devfn >> 3, devfn & 7);

    public int CompareTo(GuestAddress other) => Devfn.CompareTo(other.Devfn);

    /// <summary>QEMU's form, "0x1c" or "0x1c.0x1".</summary>
    public override string ToString() =>
        Function == 0
            ? string.Create(CultureInfo.InvariantCulture, $"0x{Slot:x}")
            : string.Create(CultureInfo.InvariantCulture, $"0x{Slot:x}.0x{Function:x}");

    /// <summary>
    /// Reads QEMU's `addr=`: "SLOT[.FN]" in hex with or without 0x ("0x1c.1", "1c", "0x00.0x1").
    /// </summary>
    public static bool TryParse(string? text, out GuestAddress address)
    {
        address = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var parts = text.Split('.');
        if (parts.Length > 2) return false;
        if (!Hex(parts[0], out var slot) || slot > 31) return false;
        var fn = 0;
        if (parts.Length == 2 && (!Hex(parts[1], out fn) || fn > 7)) return false;
        address = new GuestAddress(slot, fn);
        return true;
    }

    public static GuestAddress Parse(string text) =>
        TryParse(text, out var a) ? a : throw new FormatException($"'{text}' is not a PCI device address (expected SLOT[.FUNCTION], e.g. 0x1c.0x1)");

    private static bool Hex(string s, out int value)
    {
        value = 0;
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) s = s[2..];
        return s.Length is > 0 and <= 4 &&
               int.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}
