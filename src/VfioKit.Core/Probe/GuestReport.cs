using System.Collections.Immutable;
using System.Globalization;
using VfioKit.Pci;

namespace VfioKit.Probe;

/// <summary>
/// What a probe guest printed (<see cref="GuestProgram"/>), parsed: the kernel release and every PCI
/// function. Console lines that are not part of the report (kernel messages) are skipped. A report
/// cut short (time-out, crash) keeps the functions read so far and says it is incomplete.
/// </summary>
public sealed record GuestReport(string? KernelRelease, ImmutableArray<GuestFunction> Functions, bool IsComplete)
{
    public GuestFunction? Find(PciAddress address) => Functions.FirstOrDefault(f => f.Address == address);

    /// <exception cref="FormatException">A line of the report itself is malformed (never kernel noise).</exception>
    public static GuestReport Parse(string console)
    {
        ArgumentNullException.ThrowIfNull(console);
        string? release = null;
        var begun = false;
        var complete = false;
        var functions = ImmutableArray.CreateBuilder<GuestFunction>();
        Pending? current = null;
        var lineNo = 0;

        foreach (var raw in console.Split('\n'))
        {
            lineNo++;
            var line = raw.TrimEnd('\r');
            if (line.StartsWith(GuestProgram.BeginMarker + " ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ', 3);
                if (parts.Length < 2 || parts[1] != GuestProgram.ProtocolVersion.ToString(CultureInfo.InvariantCulture))
                    throw new FormatException($"console line {lineNo}: the guest speaks protocol {(parts.Length > 1 ? parts[1] : "?")}, expected {GuestProgram.ProtocolVersion}");
                release = parts.Length > 2 ? parts[2].Trim() : null;
                begun = true;
                continue;
            }
            if (!begun) continue;
            if (line.StartsWith(GuestProgram.EndMarker, StringComparison.Ordinal))
            {
                Flush(current, functions);
                current = null;
                complete = true;
                break;
            }
            if (line.StartsWith("@dev ", StringComparison.Ordinal))
            {
                Flush(current, functions);
                current = Pending.FromDevLine(line, lineNo);
            }
            else if (current is null) continue;
            else if (line.StartsWith("@attr ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ', 3);
                if (parts.Length == 3) current.Attributes[parts[1]] = parts[2].Trim();
            }
            else if (line == "@config") current.InConfig = true;
            else if (current.InConfig) current.AddOdLine(line);
        }
        if (!complete) Flush(current, functions);
        return new GuestReport(release, functions.ToImmutable(), complete);
    }

    private static void Flush(Pending? p, ImmutableArray<GuestFunction>.Builder into)
    {
        if (p is null || p.Length is null) return; // a function whose dump was cut off is not reported half-read
        into.Add(p.ToFunction());
    }

    /// <summary>A function being read: od's output ("OFFSET bytes...", "*" for repeats of the line
    /// before, and a last line holding only the total length).</summary>
    private sealed class Pending(PciAddress address, ushort vendor, ushort device, int classCode)
    {
        public Dictionary<string, string> Attributes { get; } = new(StringComparer.Ordinal);
        public bool InConfig { get; set; }
        public int? Length { get; private set; }

        private readonly byte[] _bytes = new byte[4096];
        private byte[] _previous = [];
        private int _next;
        private bool _repeating;

        public static Pending FromDevLine(string line, int lineNo)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 5 || !PciAddress.TryParse(parts[1], out var address) ||
                !Hex(parts[2], out var vendor) || !Hex(parts[3], out var device) || !Hex(parts[4], out var cls))
                throw new FormatException($"console line {lineNo}: expected \"@dev ADDRESS VENDOR DEVICE CLASS\", found \"{line}\"");
            return new Pending(address, (ushort)vendor, (ushort)device, cls);
        }

        public void AddOdLine(string line)
        {
            if (Length is not null) return;
            if (line == "*")
            {
                _repeating = true;
                return;
            }
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // Anything else (a kernel message in the middle of the dump) is not od's and is skipped.
            if (parts.Length == 0 || !Hex(parts[0], out var offset) || offset > _bytes.Length || offset < _next) return;
            var row = new byte[parts.Length - 1];
            for (var i = 1; i < parts.Length; i++)
            {
                if (parts[i].Length != 2 || !Hex(parts[i], out var b)) return;
                row[i - 1] = (byte)b;
            }
            if (_repeating)
            {
                // "*": the previous line repeats until this offset.
                while (_next + _previous.Length <= offset && _previous.Length > 0)
                {
                    _previous.CopyTo(_bytes, _next);
                    _next += _previous.Length;
                }
                _repeating = false;
            }
            if (row.Length == 0)
            {
                Length = offset;
                return;
            }
            if (offset + row.Length > _bytes.Length) return;
            row.CopyTo(_bytes, offset);
            _next = offset + row.Length;
            _previous = row;
        }

        public GuestFunction ToFunction() => new(address, vendor, device, classCode,
            Attributes.ToImmutableDictionary(StringComparer.Ordinal), [.. _bytes.AsSpan(0, Length ?? 0)]);

        private static bool Hex(string s, out int value) =>
            int.TryParse(s.StartsWith("0x", StringComparison.Ordinal) ? s[2..] : s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}
