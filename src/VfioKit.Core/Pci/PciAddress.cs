using System.Globalization;

namespace VfioKit.Pci;

/// <summary>A PCI function address, domain:bus:device.function (the form sysfs and lspci -D use).</summary>
public readonly record struct PciAddress(int Domain, int Bus, int Device, int Function) : IComparable<PciAddress>
{
    /// <summary>The slot (domain:bus:device) that holds this function.</summary>
    public PciSlot Slot => new(Domain, Bus, Device);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Domain:x4}:{Bus:x2}:{Device:x2}.{Function:x1}");

    public int CompareTo(PciAddress other) =>
        (Domain, Bus, Device, Function).CompareTo((other.Domain, other.Bus, other.Device, other.Function));

    /// <summary>Parses "0000:01:00.0" or "01:00.0" (domain 0).</summary>
    public static bool TryParse(string? text, out PciAddress address)
    {
        address = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var dot = text.LastIndexOf('.');
        if (dot < 0 || !PciSlot.TryParse(text[..dot], out var slot)) return false;
        if (!int.TryParse(text[(dot + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var fn) || fn is < 0 or > 7)
            return false;
        address = new PciAddress(slot.Domain, slot.Bus, slot.Device, fn);
        return true;
    }

    public static PciAddress Parse(string text) =>
        TryParse(text, out var a) ? a : throw new FormatException($"'{text}' is not a PCI address (expected DDDD:BB:SS.F)");
}
