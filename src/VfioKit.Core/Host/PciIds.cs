namespace VfioKit.Host;

/// <summary>
/// Vendor and device names from the pciutils database (pci.ids). Parsed lazily: one pass over the text
/// that stops at the class section and keeps only the ids asked for, so a 1.3 MB file costs about a millisecond.
/// </summary>
public static class PciIds
{
    /// <summary>Where distributions keep the database, relative to the root (Debian first, then Fedora/Arch).</summary>
    public static readonly string[] Locations = ["usr/share/misc/pci.ids", "usr/share/hwdata/pci.ids"];

    /// <summary>Names of the wanted vendors and (vendor, device) pairs found in <paramref name="text"/>.</summary>
    public static PciNames Lookup(ReadOnlySpan<byte> text, IReadOnlyCollection<(int Vendor, int Device)> wanted)
    {
        var scanner = new PciIdsScanner(wanted);
        scanner.Feed(text);
        return scanner.Finish();
    }

    // "8086  Intel Corporation": four hex digits, two spaces, the name. The id alone first: the name is decoded
    // only for the few ids asked for, not for the tens of thousands of lines passed over.
    internal static bool TryId(ReadOnlySpan<byte> line, out int id)
    {
        id = 0;
        if (line.Length < 7) return false;
        for (var i = 0; i < 4; i++)
        {
            var c = line[i];
            var d = c is >= (byte)'0' and <= (byte)'9' ? c - '0' : c is >= (byte)'a' and <= (byte)'f' ? c - 'a' + 10 : c is >= (byte)'A' and <= (byte)'F' ? c - 'A' + 10 : -1;
            if (d < 0) return false;
            id = id * 16 + d;
        }
        return true;
    }

    /// <summary>The name after an id (see <see cref="TryId"/>); false when it is blank.</summary>
    internal static bool TryName(ReadOnlySpan<byte> line, out string name)
    {
        name = System.Text.Encoding.UTF8.GetString(line[4..]).Trim();
        return name.Length > 0;
    }
}

/// <summary>The names a pci.ids lookup found.</summary>
public sealed class PciNames(IReadOnlyDictionary<int, string> vendors, IReadOnlyDictionary<(int, int), string> devices)
{
    public static readonly PciNames None = new(new Dictionary<int, string>(), new Dictionary<(int, int), string>());

    public string? Vendor(int? vendor) => vendor is { } v && vendors.TryGetValue(v, out var n) ? n : null;

    public string? Device(int? vendor, int? device) =>
        vendor is { } v && device is { } d && devices.TryGetValue((v, d), out var n) ? n : null;
}
