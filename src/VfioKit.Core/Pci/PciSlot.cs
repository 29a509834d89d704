using System.Globalization;

namespace VfioKit.Pci;

/// <summary>A PCI slot, domain:bus:device: what holds the functions of one physical device.</summary>
public readonly record struct PciSlot(int Domain, int Bus, int Device) : IComparable<PciSlot>
{
    public PciAddress Function(int function) => new(Domain, Bus, Device, function);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Domain:x4}:{Bus:x2}:{Device:x2}");

    public int CompareTo(PciSlot other) =>
        (Domain, Bus, Device).CompareTo((other.Domain, other.Bus, other.Device));

    /// <summary>Parses "0000:01:00" or "01:00".</summary>
    public static bool TryParse(string? text, out PciSlot slot)
    {
        slot = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var parts = text.Split(':');
        if (parts.Length is < 2 or > 3) return false;
        var domain = 0;
        // Intel VMD puts its devices in domains 10000 and up (five hex digits), as sysfs and lspci show them.
        if (parts.Length == 3 && !Hex(parts[0], 0xfffff, out domain)) return false;
        if (!Hex(parts[^2], 0xff, out var bus) || !Hex(parts[^1], 0x1f, out var device)) return false;
        slot = new PciSlot(domain, bus, device);
        return true;
    }

    public static PciSlot Parse(string text) =>
        TryParse(text, out var s) ? s : throw new FormatException($"'{text}' is not a PCI slot (expected DDDD:BB:SS)");

    private static bool Hex(string s, int max, out int value) =>
        int.TryParse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value) && value >= 0 && value <= max && s.Length > 0;
}
