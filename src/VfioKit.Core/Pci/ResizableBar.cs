using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace VfioKit.Pci;

/// <summary>
/// One BAR of the Physical Resizable BAR capability (PCIe base spec 7.8.6): which BAR, its current size
/// and the sizes it can take. Sizes are codes n meaning 2^n MB (0 = 1 MB ... 43 = 8 EB), as the spec
/// encodes them; <see cref="BytesOf"/> turns one into bytes.
/// </summary>
public sealed record ResizableBar(int BarIndex, int CurrentSize, ImmutableArray<int> SupportedSizes)
{
    /// <summary>Largest code the spec defines (8 EB).</summary>
    public const int MaxSizeCode = 43;

    public ulong? CurrentBytes => BytesOf(CurrentSize);

    /// <summary>The largest size the BAR supports, in bytes; null when it lists none.</summary>
    public ulong? LargestBytes => SupportedSizes.IsDefaultOrEmpty ? null : BytesOf(SupportedSizes[^1]);

    public static ulong? BytesOf(int sizeCode) => sizeCode is >= 0 and <= MaxSizeCode ? (1UL << 20) << sizeCode : null;

    /// <summary>"256MB", "16GB" as lspci writes sizes; "&lt;unknown&gt;" past 8 EB.</summary>
    public static string SizeText(int sizeCode)
    {
        string[] units = ["MB", "GB", "TB", "PB", "EB"];
        return sizeCode is >= 0 and <= MaxSizeCode
            ? string.Create(CultureInfo.InvariantCulture, $"{1 << (sizeCode % 10)}{units[sizeCode / 10]}")
            : "<unknown>";
    }

    /// <summary>"BAR 0: current size: 16MB, supported: 16MB 32MB 64MB", lspci -vv's line.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"BAR {BarIndex}: current size: {SizeText(CurrentSize)}");
        if (!SupportedSizes.IsDefaultOrEmpty)
            sb.Append(", supported: ").AppendJoin(' ', SupportedSizes.Select(SizeText));
        return sb.ToString();
    }

    /// <summary>Decodes the entries of a Resizable BAR capability at <paramref name="offset"/>: one
    /// Capability/Control register pair per BAR, the count in entry 0's control register (1..6; any other
    /// count means a broken capability and gives no entries, as lspci reports it).</summary>
    internal static ImmutableArray<ResizableBar> Decode(ConfigSpace config, int offset)
    {
        var bars = ImmutableArray.CreateBuilder<ResizableBar>();
        var count = 1;
        for (var i = 0; i < count; i++)
        {
            var at = offset + 4 + (8 * i);
            if (!config.Has(at, 8)) break;
            var sizes = config.Dword(at) >> 4;
            var control = config.Dword(at + 4);
            if (i == 0)
            {
                count = (int)((control >> 5) & 0x7);
                if (count is < 1 or > 6) break;
            }
            var supported = ImmutableArray.CreateBuilder<int>();
            for (var n = 0; n < 28; n++)
                if ((sizes & (1u << n)) != 0) supported.Add(n);
            for (var n = 0; n < 16; n++)
                if ((control & (1u << (16 + n))) != 0) supported.Add(28 + n);
            bars.Add(new ResizableBar((int)(control & 0x7), (int)((control >> 8) & 0x3f), supported.ToImmutable()));
        }
        return bars.ToImmutable();
    }
}
