using System.Text.Json;
using VfioKit.Diagnostics;
using VfioKit.Files;
using VfioKit.Formats;
using VfioKit.Formats.Libvirt;
using VfioKit.Linting;
using VfioKit.Rules;

namespace VfioKit.KubeVirt;

/// <summary>
/// KubeVirt's onDefineDomain hook: the domain virt-launcher is about to define, with only the safe topology
/// fixes applied. KubeVirt writes GPU functions as &lt;hostdev managed='no'&gt; with no guest address, and libvirt
/// puts each behind a root port of its own (VK103); the hook gathers them behind one new root port, guest
/// function = host function, and sets that port's link to the host's (<see cref="PortLinkOverride"/>). Nothing else changes: Hyper-V, CPU and memory are the VMI's to say, and a fix the
/// re-lint does not confirm is declined by <see cref="Fixer"/>. A domain that cannot be read or fixed comes
/// back unchanged, with the reason among the notes.
/// </summary>
public static class KubeVirtHook
{
    /// <summary>The rules whose fixes the hook applies: functions split across slots, a device on the root bus.</summary>
    public static IReadOnlyList<IRule> Rules { get; } = [new Vk102PcieDeviceOnRootBus(), new Vk103FunctionsSplit()];

    /// <param name="hostRoot">Where the host's /sys is: `/` in the sidecar (a pod sees the host's PCI devices in
    /// /sys), a snapshot in tests. Read only when a port was added, for its link (<see cref="PortLinkOverride"/>).</param>
    public static KubeVirtHookResult OnDefineDomain(string domainXml, string? vmiJson, string hostRoot = "/") =>
        OnDefineDomain(domainXml, vmiJson, new SysfsRoot(hostRoot));

    /// <param name="host">The host's /sys, which records what was read.</param>
    public static KubeVirtHookResult OnDefineDomain(string domainXml, string? vmiJson, SysfsRoot host)
    {
        var notes = new List<string>();
        var origin = VmiName(vmiJson, notes) is { } name ? $"domain of VMI {name}" : "domain";
        FixResult result;
        HashSet<int> indexes;
        try
        {
            result = Fixer.Fix(new ConfigDocument(origin, domainXml, ConfigFormat.Libvirt), new FixOptions(Rules: Rules));
            indexes = DomainXml.Parse(domainXml, origin).PciControllers.Select(c => c.Index ?? 0).ToHashSet();
        }
        catch (InputException e)
        {
            notes.Add($"the {origin} cannot be read, passed on unchanged: {e.Describe()}");
            return new KubeVirtHookResult(domainXml, notes);
        }
        foreach (var f in result.Applied) notes.Add($"{f.RuleId} fixed: {f.Fix!.Title}");
        foreach (var f in result.Declined) notes.Add($"{f.RuleId} not fixed (its fix did not hold on re-lint): {f.Message}");
        foreach (var f in result.Remaining.Where(f => !result.Declined.Any(d => d.RuleId == f.RuleId && d.Message == f.Message)))
            notes.Add($"{f.RuleId} not fixed (no safe fix in this domain): {f.Message}");
        if (!result.Changed) return new KubeVirtHookResult(result.FixedText, notes);
        try
        {
            return new KubeVirtHookResult(PortLinkOverride.Apply(result.FixedText, indexes, host, notes), notes);
        }
        catch (InputException e)
        {
            notes.Add($"port link not set, the fixed domain is passed on with its default: {e.Describe()}");
            return new KubeVirtHookResult(result.FixedText, notes);
        }
    }

    /// <summary>namespace/name from the VMI's metadata, for the notes; the VMI changes nothing else. A VMI that is
    /// not JSON is noted, not fatal: the domain is what the hook fixes.</summary>
    private static string? VmiName(string? vmiJson, List<string> notes)
    {
        if (string.IsNullOrWhiteSpace(vmiJson)) return null;
        try
        {
            using var doc = JsonDocument.Parse(vmiJson);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("metadata", out var meta) ||
                meta.ValueKind != JsonValueKind.Object) return null;
            var name = meta.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            var space = meta.TryGetProperty("namespace", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            return name is null ? null : space is null ? name : $"{space}/{name}";
        }
        catch (JsonException e)
        {
            notes.Add($"--vmi is not JSON ({e.Message}); the domain is fixed without it");
            return null;
        }
    }
}
