using System.Globalization;
using VfioKit.Pci;

namespace VfioKit.Tests.Pci;

/// <summary>Lists every point where the decoder and lspci -vvnn disagree about one function.</summary>
public static class DecoderAgreement
{
    public static List<string> Differences(LspciDumpEntry entry, LspciVerbose lspci)
    {
        var c = entry.Config;
        var d = new List<string>();
        void Check<T>(string what, T ours, T theirs)
        {
            if (!EqualityComparer<T>.Default.Equals(ours, theirs)) d.Add($"{entry.Address} {what}: decoder '{ours}', lspci '{theirs}'");
        }

        Check("address", entry.Address, lspci.Address);
        Check("vendor", (int)c.VendorId, lspci.VendorId);
        Check("device", (int)c.DeviceId, lspci.DeviceId);
        Check("class", c.Class.BaseAndSub, lspci.ClassCode);
        Check("revision", (int)c.Revision, lspci.Revision ?? 0);
        Check("prog-if", (int)c.Class.ProgIf, lspci.ProgIf ?? 0);
        if (c.Class.HasSubclassName) Check("class name", c.Class.Name, lspci.ClassName);
        Check("buses", c.Buses is { } b ? (b.Primary, b.Secondary, b.Subordinate) : default((int, int, int)?), lspci.Buses);
        if (lspci.SubsystemVendorId is { } sv)
        {
            Check("subsystem vendor", (int?)c.SubsystemVendorId, sv);
            Check("subsystem", (int?)c.SubsystemId, lspci.SubsystemId);
        }
        else if (c.SubsystemVendorId is { } ours && ours is not (0 or 0xffff))
            d.Add($"{entry.Address} subsystem: decoder {ours:x4}, lspci prints none");

        // Capability lists: same offsets in the same order, and lspci's text starts with the decoder's name.
        var ourCaps = c.Capabilities.Select(x => (x.Offset, (int?)null, x.Name))
            .Concat(c.ExtendedCapabilities.Select(x => (x.Offset, (int?)x.Version, x.Name))).ToList();
        var theirCaps = lspci.Capabilities.Where(x => !x.Text.StartsWith('<')).ToList();
        Check("capability count", ourCaps.Count, theirCaps.Count);
        for (var i = 0; i < Math.Min(ourCaps.Count, theirCaps.Count); i++)
        {
            var (o, t) = (ourCaps[i], theirCaps[i]);
            if (o.Offset != t.Offset || o.Item2 != t.Version || !(t.Text.StartsWith(o.Name, StringComparison.Ordinal) || OlderLspciName(c, o.Offset, t.Text)))
                d.Add($"{entry.Address} capability #{i}: decoder [{o.Offset:x} v{o.Item2}] '{o.Name}', lspci [{t.Offset:x} v{t.Version}] '{t.Text}'");
        }
        Check("capabilities cut short (access denied)", c.CapabilityChainEnd == ChainEnd.Truncated, lspci.AccessDenied);
        Check("chain looped", c.CapabilityChainEnd == ChainEnd.Looped || c.ExtendedCapabilityChainEnd == ChainEnd.Looped,
            lspci.Capabilities.Any(x => x.Text == "<chain looped>"));

        // The Express capability: lspci's line starts "Express (v2) Root Port (Slot+)".
        var expLine = lspci.Capabilities.FirstOrDefault(x => x.Text.StartsWith("Express ", StringComparison.Ordinal));
        if (c.Express is { } e)
        {
            if (expLine.Text is null || !expLine.Text.StartsWith(e.Describe(), StringComparison.Ordinal))
                d.Add($"{entry.Address} express: decoder '{e.Describe()}', lspci '{expLine.Text}'");
            Check("LnkCap", e.LinkCapability?.ToString(), lspci.LinkCapability);
            Check("LnkSta", e.LinkStatus?.ToString(), lspci.LinkStatus);
            // pciutils 3.9 prints "RsvdP" for a vector with 64 GT/s (bit 5) or the bit above: 3.10 named 64 GT/s.
            if (lspci.SupportedSpeeds is { } speeds && !(speeds == "RsvdP" && e.MaxSpeed >= LinkSpeed.Gen6))
                Check("LnkCap2 speeds", SpeedRange(e), speeds);
            if (lspci.TargetSpeed is { } target && e.TargetSpeed is { } ts)
                Check("LnkCtl2 target", ts.IsKnown ? ts.ToString() : "2.5GT/s", target);
        }
        else if (expLine.Text is not null || lspci.LinkCapability is not null)
            d.Add($"{entry.Address} express: decoder none, lspci '{expLine.Text}' LnkCap '{lspci.LinkCapability}'");
        return d;
    }

    /// <summary>pciutils 3.9 (Debian 12) prints "Extended Capability ID 0x2a" for IDs it learnt to name later
    /// (32 GT/s 3.10, Device 3, IDE, 64 GT/s, Flit, MMIO RBL later): the decoder names them as current
    /// pciutils does, and an older lspci's unknown-ID text for exactly those IDs is no disagreement.</summary>
    private static bool OlderLspciName(ConfigSpace c, int offset, string lspciText)
    {
        var cap = c.ExtendedCapabilities.FirstOrDefault(x => x.Offset == offset);
        return cap is not null && NamedAfterPciutils39.Contains(cap.Id)
            && lspciText == string.Create(CultureInfo.InvariantCulture, $"Extended Capability ID 0x{(int)cap.Id:x}");
    }

    private static readonly HashSet<ExtendedCapabilityId> NamedAfterPciutils39 =
    [
        ExtendedCapabilityId.PhysicalLayer32GTs, ExtendedCapabilityId.Device3, ExtendedCapabilityId.IntegrityAndDataEncryption,
        ExtendedCapabilityId.PhysicalLayer64GTs, ExtendedCapabilityId.FlitLogging, ExtendedCapabilityId.FlitErrorInjection,
        ExtendedCapabilityId.MmioRegisterBlockLocator,
    ];

    /// <summary>lspci's form of the supported-speeds vector: "2.5-16GT/s", or "2.5GT/s" alone.</summary>
    private static string SpeedRange(ExpressCapability e)
    {
        if (e.SupportedSpeeds.IsDefaultOrEmpty) return "Unknown";
        var top = e.SupportedSpeeds[^1];
        return top == LinkSpeed.Gen1 ? "2.5GT/s" : "2.5-" + top;
    }

    public static string Describe(IEnumerable<string> differences) =>
        string.Join('\n', differences.Take(60).Prepend(string.Create(CultureInfo.InvariantCulture, $"decoder and lspci disagree:")));
}
