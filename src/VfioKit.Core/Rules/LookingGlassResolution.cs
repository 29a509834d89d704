using System.Globalization;

namespace VfioKit.Rules;

/// <summary>A Looking Glass resolution, "WxH" or "WxH:hdr", and the shared memory it needs.</summary>
public readonly record struct LookingGlassResolution(int Width, int Height, bool Hdr)
{
    private const long MiB = 1024 * 1024;

    /// <summary>The next power of two of W*H*bpp*2 / 1 MiB + 10 MiB (bpp 4 SDR, 8 HDR), in bytes:
    /// 1080p 32 MiB, 1440p 64 MiB, 2160p 128 MiB.</summary>
    public long RequiredBytes
    {
        get
        {
            var bpp = Hdr ? 8L : 4L;
            var mib = (double)Width * Height * bpp * 2 / MiB + 10;
            long size = 1;
            while (size < mib) size <<= 1;
            return size * MiB;
        }
    }

    public static bool TryParse(string? text, out LookingGlassResolution resolution)
    {
        resolution = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var parts = text.Trim().ToLowerInvariant().Split(':');
        if (parts.Length > 2 || (parts.Length == 2 && parts[1] != "hdr")) return false;
        var wh = parts[0].Split('x');
        if (wh.Length != 2 || !int.TryParse(wh[0], NumberStyles.None, CultureInfo.InvariantCulture, out var w)
            || !int.TryParse(wh[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || w is < 1 or > 16384 || h is < 1 or > 16384)
            return false;
        resolution = new LookingGlassResolution(w, h, parts.Length == 2);
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Width}x{Height}{(Hdr ? ":hdr" : "")}");
}
