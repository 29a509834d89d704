using System.Globalization;

namespace VfioKit.Pci;

/// <summary>
/// A PCI Express link speed, kept as the encoding of the Link Capabilities / Link Status fields
/// (1 = 2.5 GT/s, 2 = 5, 3 = 8, 4 = 16, 5 = 32, 6 = 64). 0 means unknown or not reported.
/// </summary>
public readonly record struct LinkSpeed(int Encoding) : IComparable<LinkSpeed>
{
    public static readonly LinkSpeed Unknown = new(0);
    public static readonly LinkSpeed Gen1 = new(1);
    public static readonly LinkSpeed Gen2 = new(2);
    public static readonly LinkSpeed Gen3 = new(3);
    public static readonly LinkSpeed Gen4 = new(4);
    public static readonly LinkSpeed Gen5 = new(5);
    public static readonly LinkSpeed Gen6 = new(6);

    private static readonly double[] GigaTransfers = [0, 2.5, 5, 8, 16, 32, 64];

    public bool IsKnown => Encoding >= 1 && Encoding < GigaTransfers.Length;

    /// <summary>Giga-transfers per second, e.g. 8.0; 0 when unknown.</summary>
    public double GTs => IsKnown ? GigaTransfers[Encoding] : 0;

    public int CompareTo(LinkSpeed other) => Encoding.CompareTo(other.Encoding);

    public static bool operator <(LinkSpeed a, LinkSpeed b) => a.Encoding < b.Encoding;
    public static bool operator >(LinkSpeed a, LinkSpeed b) => a.Encoding > b.Encoding;
    public static bool operator <=(LinkSpeed a, LinkSpeed b) => a.Encoding <= b.Encoding;
    public static bool operator >=(LinkSpeed a, LinkSpeed b) => a.Encoding >= b.Encoding;

    public static LinkSpeed FromGTs(double gts)
    {
        for (var i = 1; i < GigaTransfers.Length; i++)
            if (Math.Abs(GigaTransfers[i] - gts) < 0.01) return new LinkSpeed(i);
        return Unknown;
    }

    /// <summary>Reads sysfs' form, e.g. "8.0 GT/s PCIe", "2.5 GT/s", or "Unknown".</summary>
    public static LinkSpeed ParseSysfs(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Unknown;
        var first = text.Trim().Split(' ')[0];
        return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var gts) ? FromGTs(gts) : Unknown;
    }

    /// <summary>"8GT/s", the way lspci prints it; "unknown" when unknown.</summary>
    public override string ToString() =>
        IsKnown ? GTs.ToString("0.#", CultureInfo.InvariantCulture) + "GT/s" : "unknown";
}
