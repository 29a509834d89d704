using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using VfioKit.Diagnostics;
using VfioKit.Pci;

namespace VfioKit.Verify;

/// <summary>
/// Reads what lspci printed inside a guest: <c>lspci -vv</c> / <c>-vvv</c> / <c>-vvnn</c> text, or a hex
/// dump (<c>lspci -x</c> .. <c>-xxxx</c>, alone or with -vv), which is decoded exactly by
/// <see cref="LspciDump"/> and <see cref="ConfigSpace"/>. The verbose text is read for the lines that
/// matter here: the header (class, ids), "Express (vN) TYPE", LnkCap, LnkSta, and a bridge's "Bus:" line.
/// </summary>
public static partial class LspciReport
{
    /// <summary>True when <paramref name="text"/> looks like lspci output: a line starting with a function address.</summary>
    public static bool Recognises(string text) => text.Split('\n').Any(l => HeaderLine().IsMatch(l.TrimEnd('\r')));

    /// <exception cref="InputException">Not lspci output, or a malformed hex dump.</exception>
    public static GuestInventory Parse(string text, string origin)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (!lines.Any(l => HeaderLine().IsMatch(l)))
            throw new InputException(origin, null, null, "no lspci function header (\"01:00.0 VGA compatible controller: ...\") found");
        return lines.Any(l => HexRow().IsMatch(l)) ? FromDump(text, lines, origin) : FromVerbose(lines, origin);
    }

    private static GuestInventory FromDump(string text, string[] lines, string origin)
    {
        var dump = LspciDump.Parse(text, origin);
        var functions = dump.Entries.Select(e =>
        {
            var c = e.Config;
            var express = c.Express;
            return new Draft(e.Address)
            {
                ClassCode = c.Class.Code,
                VendorId = c.VendorId,
                DeviceId = c.DeviceId,
                ExpressType = express?.DeviceType,
                LinkCapability = express?.LinkCapability,
                LinkStatus = express?.LinkStatus,
                Secondary = c.Buses?.Secondary,
                Description = e.Description,
            };
        }).ToList();
        // lspci -vv -x: a function whose dump stops at 64 bytes (lspci run without root) cannot show its capabilities.
        foreach (var (d, e) in functions.Zip(dump.Entries))
            d.CapabilitiesRead = e.Config.Length > ConfigSpace.HeaderLength || !e.Config.HasCapabilityList;
        _ = lines;
        return Finish(GuestSources.LspciHex, functions);
    }

    private static GuestInventory FromVerbose(string[] lines, string origin)
    {
        var functions = new List<Draft>();
        Draft? current = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Trim().Length == 0) continue;
            var header = HeaderLine().Match(line);
            if (header.Success)
            {
                current = Header(header, line);
                functions.Add(current);
                continue;
            }
            if (line[0] is not ('\t' or ' '))
                throw new InputException(origin, i + 1, 1,
                    $"expected an lspci line (a function header or an indented detail), found \"{Shorten(line)}\"; recognised {functions.Count} function(s) before it");
            if (current is null) continue;
            var body = line.Trim();
            if (body.StartsWith("Capabilities: <access denied>", StringComparison.Ordinal)) current.CapabilitiesRead = false;
            else if (body.StartsWith("Capabilities: [", StringComparison.Ordinal) && ExpressLine().Match(body) is { Success: true } ex)
                current.ExpressType = TypeByName(ex.Groups[1].Value.Trim());
            else if (body.StartsWith("LnkCap:", StringComparison.Ordinal)) current.LinkCapability = Link(body);
            else if (body.StartsWith("LnkSta:", StringComparison.Ordinal)) current.LinkStatus = Link(body);
            else if (body.StartsWith("Bus: ", StringComparison.Ordinal) && SecondaryBus().Match(body) is { Success: true } bus)
                current.Secondary = int.Parse(bus.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }
        return Finish(GuestSources.LspciVerbose, functions);
    }

    private static Draft Header(Match header, string line)
    {
        var address = PciAddress.Parse(header.Groups[1].Value.Length == 7 ? "0000:" + header.Groups[1].Value : header.Groups[1].Value);
        var rest = line[header.Length..].Trim();
        var d = new Draft(address) { Description = rest };
        // -nn: "VGA compatible controller [0300]: NVIDIA ... [10de:2204] (rev a1)"; -n: "0300: 10de:2204 (rev a1)".
        if (ClassNumber().Match(rest) is { Success: true } cn)
            d.ClassCode = int.Parse(cn.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture) << 8;
        else if (rest.IndexOf(':') is > 0 and var colon && ClassNames.TryGetValue(rest[..colon].Trim(), out var code))
            d.ClassCode = code << 8;
        var ids = Ids().Matches(rest);
        if (ids.Count > 0)
        {
            d.VendorId = int.Parse(ids[^1].Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            d.DeviceId = int.Parse(ids[^1].Groups[2].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }
        return d;
    }

    /// <summary>"Speed 8GT/s (ok), Width x16 (ok)" or "Port #0, Speed 16GT/s, Width x32, ASPM ...".</summary>
    private static PciLink? Link(string body)
    {
        var m = LinkFields().Match(body);
        if (!m.Success) return null;
        var speed = m.Groups[1].Value == "unknown"
            ? LinkSpeed.Unknown
            : LinkSpeed.FromGTs(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        return new PciLink(speed, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    private static PcieDeviceType? TypeByName(string text)
    {
        // lspci appends "(Slot+)"/"(Slot-)" to ports: longest names first so "Root Complex Integrated Endpoint" wins over "Endpoint".
        foreach (var type in Enum.GetValues<PcieDeviceType>().OrderByDescending(t => t.LspciName.Length))
            if (text.StartsWith(type.LspciName, StringComparison.Ordinal)) return type;
        return null;
    }

    private static GuestInventory Finish(string source, List<Draft> drafts)
    {
        // A function's parent is the bridge whose secondary bus is the function's bus.
        var bySecondary = new Dictionary<(int, int), PciAddress>();
        foreach (var d in drafts)
            if (d.Secondary is { } s and > 0) bySecondary.TryAdd((d.Address.Domain, s), d.Address);
        var functions = drafts.Select(d => new SeenFunction(
            d.Address, d.ClassCode, d.VendorId, d.DeviceId, d.CapabilitiesRead ? d.ExpressType : null, d.CapabilitiesRead,
            d.LinkCapability, d.LinkStatus,
            bySecondary.TryGetValue((d.Address.Domain, d.Address.Bus), out var parent) ? parent : null,
            d.Description));
        return new GuestInventory(source, [.. functions]);
    }

    private static string Shorten(string s) => s.Length <= 50 ? s : s[..50] + "...";

    /// <summary>pciutils' names (lib/pci.ids "C" lines) of the classes verify cares about, to base and subclass.</summary>
    private static readonly ImmutableDictionary<string, int> ClassNames = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["VGA compatible controller"] = 0x0300,
        ["XGA compatible controller"] = 0x0301,
        ["3D controller"] = 0x0302,
        ["Display controller"] = 0x0380,
        ["Multimedia video controller"] = 0x0400,
        ["Multimedia audio controller"] = 0x0401,
        ["Audio device"] = 0x0403,
        ["Multimedia controller"] = 0x0480,
        ["Host bridge"] = 0x0600,
        ["ISA bridge"] = 0x0601,
        ["PCI bridge"] = 0x0604,
    }.ToImmutableDictionary(StringComparer.Ordinal);

    private sealed class Draft(PciAddress address)
    {
        public PciAddress Address { get; } = address;
        public int? ClassCode { get; set; }
        public int? VendorId { get; set; }
        public int? DeviceId { get; set; }
        public PcieDeviceType? ExpressType { get; set; }
        public bool CapabilitiesRead { get; set; } = true;
        public PciLink? LinkCapability { get; set; }
        public PciLink? LinkStatus { get; set; }
        public int? Secondary { get; set; }
        public string? Description { get; set; }
    }

    [GeneratedRegex(@"^((?:[0-9a-fA-F]{4,5}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7])(?= |$)")]
    private static partial Regex HeaderLine();

    [GeneratedRegex(@"^[0-9a-fA-F]{2,3}: [0-9a-fA-F]{2}( |$)")]
    private static partial Regex HexRow();

    [GeneratedRegex(@"^Capabilities: \[[0-9a-fA-F]+\] Express \(v\d+\) ([^,]+)")]
    private static partial Regex ExpressLine();

    [GeneratedRegex(@"Speed (unknown|[0-9.]+)(?:GT/s)?[^,]*, Width x(\d+)")]
    private static partial Regex LinkFields();

    [GeneratedRegex(@"secondary=([0-9a-fA-F]+)")]
    private static partial Regex SecondaryBus();

    [GeneratedRegex(@"^(?:[^:\[]*\[)?([0-9a-fA-F]{4})\]?:")]
    private static partial Regex ClassNumber();

    [GeneratedRegex(@"\b([0-9a-fA-F]{4}):([0-9a-fA-F]{4})\b")]
    private static partial Regex Ids();
}
