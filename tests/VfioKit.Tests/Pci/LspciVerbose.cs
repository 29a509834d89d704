using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using VfioKit.Pci;

namespace VfioKit.Tests.Pci;

/// <summary>What the machine's own lspci (pciutils) says about each function of a dump file: the oracle
/// the decoder is compared with. Runs <c>lspci -F FILE -vvnn</c> and keeps the lines the tests compare.</summary>
public sealed partial record LspciVerbose(
    PciAddress Address,
    string ClassName,
    int ClassCode,
    int VendorId,
    int DeviceId,
    int? Revision,
    int? ProgIf,
    IReadOnlyList<(int Offset, int? Version, string Text)> Capabilities,
    bool AccessDenied,
    string? LinkCapability,
    string? LinkStatus,
    string? SupportedSpeeds,
    string? TargetSpeed,
    (int Primary, int Secondary, int Subordinate)? Buses,
    int? SubsystemVendorId,
    int? SubsystemId)
{
    /// <summary>Runs lspci on the dump and parses its output. Fails (not skips) when lspci is missing.</summary>
    public static IReadOnlyList<LspciVerbose> Decode(string dumpFile)
    {
        var psi = new ProcessStartInfo("lspci") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-F", dumpFile, "-vvnn" }) psi.ArgumentList.Add(a);
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("lspci (pciutils) is needed as the oracle for the PCI decoder tests: apt-get install pciutils (test.sh does)", e);
        }
        using (p)
        {
            var errTask = p.StandardError.ReadToEndAsync();
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException($"lspci -F {dumpFile} failed ({p.ExitCode}): {errTask.Result}");
            return Parse(output);
        }
    }

    public static IReadOnlyList<LspciVerbose> Parse(string output)
    {
        var result = new List<LspciVerbose>();
        LspciVerbose? cur = null;
        List<(int, int?, string)> caps = [];
        foreach (var line in output.Split('\n'))
        {
            if (HeaderLine().Match(line) is { Success: true } h)
            {
                if (cur is not null) result.Add(cur with { Capabilities = caps });
                caps = [];
                cur = new LspciVerbose(PciAddress.Parse(h.Groups["addr"].Value), h.Groups["cls"].Value, Hex(h.Groups["code"].Value),
                    Hex(h.Groups["ven"].Value), Hex(h.Groups["dev"].Value),
                    h.Groups["rev"].Success ? Hex(h.Groups["rev"].Value) : null,
                    h.Groups["pi"].Success ? Hex(h.Groups["pi"].Value) : null,
                    [], false, null, null, null, null, null, null, null);
                continue;
            }
            if (cur is null) continue;
            if (line.StartsWith("\tCapabilities: <access denied>", StringComparison.Ordinal))
                cur = cur with { AccessDenied = true };
            else if (CapabilityLine().Match(line) is { Success: true } c)
                caps.Add((Hex(c.Groups["off"].Value), c.Groups["ver"].Success ? int.Parse(c.Groups["ver"].Value, CultureInfo.InvariantCulture) : null, c.Groups["text"].Value));
            else if (LinkLine().Match(line) is { Success: true } l)
            {
                var speedWidth = $"{l.Groups["speed"].Value} x{l.Groups["width"].Value}";
                cur = l.Groups["reg"].Value == "LnkCap" ? cur with { LinkCapability = speedWidth } : cur with { LinkStatus = speedWidth };
            }
            else if (line.StartsWith("\t\tLnkCap2: Supported Link Speeds: ", StringComparison.Ordinal))
                cur = cur with { SupportedSpeeds = line["\t\tLnkCap2: Supported Link Speeds: ".Length..].Split(',')[0] };
            else if (line.StartsWith("\t\tLnkCtl2: Target Link Speed: ", StringComparison.Ordinal))
                cur = cur with { TargetSpeed = line["\t\tLnkCtl2: Target Link Speed: ".Length..].Split(',')[0] };
            else if (BusLine().Match(line) is { Success: true } b)
                cur = cur with { Buses = (Hex(b.Groups["p"].Value), Hex(b.Groups["s"].Value), Hex(b.Groups["u"].Value)) };
            else if (cur.SubsystemVendorId is null && SubsystemLine().Match(line) is { Success: true } s)
                cur = cur with { SubsystemVendorId = Hex(s.Groups["v"].Value), SubsystemId = Hex(s.Groups["d"].Value) };
        }
        if (cur is not null) result.Add(cur with { Capabilities = caps });
        return result;
    }

    private static int Hex(string s) => int.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    // "00:1c.0 PCI bridge [0604]: Red Hat, Inc. QEMU PCIe Root port [1b36:000c] (rev 02) (prog-if 00 [Normal decode])"
    [GeneratedRegex(@"^(?<addr>[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]|[0-9a-f]{4,5}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) (?<cls>.*?) \[(?<code>[0-9a-f]{4})\]: .*\[(?<ven>[0-9a-f]{4}):(?<dev>[0-9a-f]{4})\](?: \(rev (?<rev>[0-9a-f]{2})\))?(?: \(prog-if (?<pi>[0-9a-f]{2}).*\))?\s*$")]
    private static partial Regex HeaderLine();

    [GeneratedRegex(@"^\tCapabilities: \[(?<off>[0-9a-f]+)(?: v(?<ver>\d+))?\] (?<text>.*)$")]
    private static partial Regex CapabilityLine();

    [GeneratedRegex(@"^\t\t(?<reg>LnkCap|LnkSta):\t(?:Port #\d+, )?Speed (?<speed>\S+)(?: \((?:downgraded|overdriven|ok)\))?, Width x(?<width>\d+)")]
    private static partial Regex LinkLine();

    [GeneratedRegex(@"^\tBus: primary=(?<p>[0-9a-f]{2}), secondary=(?<s>[0-9a-f]{2}), subordinate=(?<u>[0-9a-f]{2})")]
    private static partial Regex BusLine();

    // "\tSubsystem: Red Hat, Inc. Device [1af4:1100]" (header) or the bridge capability's "Subsystem: ... [1b36:0000]".
    [GeneratedRegex(@"^\t(?:Capabilities: \[[0-9a-f]+\] )?Subsystem: .*\[(?<v>[0-9a-f]{4}):(?<d>[0-9a-f]{4})\]\s*$")]
    private static partial Regex SubsystemLine();
}
