namespace VfioKit.Host;

/// <summary>
/// Scans pci.ids as it is read, chunk by chunk, keeping only the names asked for; <see cref="Done"/> turns true
/// once every wanted vendor's block has been passed or the class section begins, so the rest need not be read.
/// </summary>
public sealed class PciIdsScanner
{
    private readonly HashSet<int> _vendorsWanted = [];
    private readonly HashSet<(int, int)> _devicesWanted = [];
    private readonly Dictionary<int, string> _vendors = [];
    private readonly Dictionary<(int, int), string> _devices = [];
    private byte[] _carry = [];
    private int _current = -1;

    public PciIdsScanner(IReadOnlyCollection<(int Vendor, int Device)> wanted)
    {
        foreach (var w in wanted) { _vendorsWanted.Add(w.Vendor); _devicesWanted.Add(w); }
        Done = _vendorsWanted.Count == 0;
    }

    public bool Done { get; private set; }

    /// <summary>Takes the next bytes of the file; a line cut at the end of a chunk is kept for the next one.</summary>
    public void Feed(ReadOnlySpan<byte> chunk)
    {
        if (Done) return;
        if (_carry.Length > 0)
        {
            var nl = chunk.IndexOf((byte)'\n');
            if (nl < 0) { _carry = [.. _carry, .. chunk]; return; }
            byte[] line = [.. _carry, .. chunk[..nl]];
            _carry = [];
            Line(line);
            chunk = chunk[(nl + 1)..];
        }
        while (!Done && !chunk.IsEmpty)
        {
            var end = chunk.IndexOf((byte)'\n');
            if (end < 0) { _carry = chunk.ToArray(); return; }
            Line(chunk[..end]);
            chunk = chunk[(end + 1)..];
        }
    }

    /// <summary>The names found (a last line without a newline counts).</summary>
    public PciNames Finish()
    {
        if (_carry.Length > 0 && !Done) Line(_carry);
        _carry = [];
        return new PciNames(_vendors, _devices);
    }

    private void Line(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty || line[0] == (byte)'#') return;
        if (line[0] == (byte)'C' && line.Length > 1 && line[1] == (byte)' ') { Done = true; return; } // the class section follows the vendors
        if (line[0] != (byte)'\t')
        {
            _current = -1;
            // Every wanted vendor seen and its block over: nothing more to find.
            if (_vendors.Count == _vendorsWanted.Count) { Done = true; return; }
            if (PciIds.TryId(line, out var vendor) && _vendorsWanted.Contains(vendor) && PciIds.TryName(line, out var name))
            {
                _current = vendor;
                _vendors[vendor] = name;
            }
        }
        else if (_current >= 0 && line.Length > 1 && line[1] != (byte)'\t'
                 && PciIds.TryId(line[1..], out var device) && _devicesWanted.Contains((_current, device)) && PciIds.TryName(line[1..], out var deviceName))
        {
            _devices[(_current, device)] = deviceName;
        }
    }
}
