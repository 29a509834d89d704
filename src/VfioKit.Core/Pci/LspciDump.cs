using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using VfioKit.Diagnostics;

namespace VfioKit.Pci;

/// <summary>
/// The text that <c>lspci -x</c>, <c>-xxx</c> and <c>-xxxx</c> print and <c>lspci -F FILE</c> reads back:
/// a header line "BB:DD.F description" (or "DDDD:BB:DD.F ..."), then rows "00: 86 80 ..." of up to 16
/// hex bytes, offsets past 0xff written "100: ...", and a blank line between functions. Reads like
/// pciutils' dump reader (bytes never written read as 0xff; the length is the highest byte written);
/// anything else is an <see cref="InputException"/> naming the line.
/// </summary>
public sealed class LspciDump
{
    public LspciDump(IEnumerable<LspciDumpEntry> entries) => Entries = [.. entries];

    public ImmutableArray<LspciDumpEntry> Entries { get; }

    /// <summary>Reads a dump file. Reading and parsing are separate: see <see cref="Parse"/>.</summary>
    /// <exception cref="InputException">The file cannot be read or is not a dump.</exception>
    public static LspciDump Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(path, null, null, "cannot read the lspci dump: " + e.Message, e);
        }
        return Parse(text, path);
    }

    /// <summary>Parses dump text. <paramref name="origin"/> names the text in errors (a path, or "-").</summary>
    /// <exception cref="InputException">A row outside a function, a malformed row, an offset past 4095,
    /// or a function with fewer than 64 bytes.</exception>
    public static LspciDump Parse(string text, string origin = "-")
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<LspciDumpEntry>();
        Pending? current = null;
        var lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw.TrimEnd('\r');
            if (TryHeader(line, out var address, out var description))
            {
                Finish(current, entries, origin);
                current = new Pending(address, description, lineNo);
                continue;
            }
            if (line.Trim().Length == 0)
            {
                Finish(current, entries, origin);
                current = null;
                continue;
            }
            if (current is null)
            {
                // lspci -x also prints verbose lines ("\tSubsystem: ...") when combined with -v: skip those.
                if (line[0] is '\t' or ' ') continue;
                throw new InputException(origin, lineNo, 1, $"expected a function header such as \"00:1c.0 PCI bridge\", found \"{Shorten(line)}\"");
            }
            if (line[0] is '\t' or ' ') continue;
            current.AddRow(line, lineNo, origin);
        }
        Finish(current, entries, origin);
        return new LspciDump(entries);
    }

    /// <summary>Writes the dump in lspci's form: a header line per function, 16 bytes per row, a blank
    /// line after each function. <c>lspci -F</c> reads it back.</summary>
    public string ToText()
    {
        var sb = new StringBuilder();
        foreach (var e in Entries)
        {
            var a = e.Address;
            sb.Append(a.Domain == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{a.Bus:x2}:{a.Device:x2}.{a.Function:x1}")
                : a.ToString());
            // pciutils only recognises a header line whose address is followed by a space.
            sb.Append(' ').Append(e.Description.Length > 0 ? e.Description : e.Config.Class.Name).Append('\n');
            var bytes = e.Config.Bytes;
            for (var row = 0; row < bytes.Length; row += 16)
            {
                sb.Append(row.ToString(row < 0x100 ? "x2" : "x3", CultureInfo.InvariantCulture)).Append(':');
                for (var i = row; i < Math.Min(row + 16, bytes.Length); i++)
                    sb.Append(' ').Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture));
                sb.Append('\n');
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Writes <see cref="ToText"/> to a file.</summary>
    public void Save(string path) => File.WriteAllText(path, ToText());

    private static bool TryHeader(string line, out PciAddress address, out string description)
    {
        address = default;
        description = "";
        var space = line.IndexOf(' ');
        var head = space < 0 ? line : line[..space];
        // "BB:DD.F" or "DDDD:BB:DD.F" (pciutils also takes five domain digits); rows have no '.'.
        if (head.Length is not (7 or 12 or 13) || head[^2] != '.' || !PciAddress.TryParse(head, out address)) return false;
        description = space < 0 ? "" : line[(space + 1)..].Trim();
        return true;
    }

    private static void Finish(Pending? p, List<LspciDumpEntry> entries, string origin)
    {
        if (p is null) return;
        if (p.Length < ConfigSpace.HeaderLength)
            throw new InputException(origin, p.Line, 1,
                $"function {p.Address} has {p.Length} bytes of config space; a dump needs at least {ConfigSpace.HeaderLength} (lspci -x)");
        entries.Add(new LspciDumpEntry(p.Address, p.Description, ConfigSpace.Parse(p.Bytes.AsSpan(0, p.Length))));
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "...";

    /// <summary>A function being read: bytes default to 0xff as in pciutils.</summary>
    private sealed class Pending(PciAddress address, string description, int line)
    {
        public PciAddress Address { get; } = address;
        public string Description { get; } = description;
        public int Line { get; } = line;
        public byte[] Bytes { get; } = Enumerable.Repeat((byte)0xff, ConfigSpace.ExtendedLength).ToArray();
        public int Length { get; private set; }

        public void AddRow(string row, int lineNo, string origin)
        {
            var colon = row.IndexOf(':');
            if (colon is < 2 or > 8 || !int.TryParse(row.AsSpan(0, colon), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var at))
                throw new InputException(origin, lineNo, 1, $"expected a row such as \"00: 86 80 ...\", found \"{Shorten(row)}\"");
            var col = colon + 1;
            while (col < row.Length)
            {
                if (row[col] != ' ')
                    throw new InputException(origin, lineNo, col + 1, "expected a space between bytes");
                col++;
                if (col == row.Length) break; // a trailing space
                if (col + 2 > row.Length || !byte.TryParse(row.AsSpan(col, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b)
                    || (col + 2 < row.Length && row[col + 2] != ' '))
                    throw new InputException(origin, lineNo, col + 1, "expected two hex digits");
                if (at >= ConfigSpace.ExtendedLength)
                    throw new InputException(origin, lineNo, col + 1, $"offset 0x{at:x} is past the 4096 bytes of PCI Express config space");
                Bytes[at++] = b;
                Length = Math.Max(Length, at);
                col += 2;
            }
        }
    }
}
