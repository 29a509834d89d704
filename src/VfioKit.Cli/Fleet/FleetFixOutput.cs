using System.Text.Json;
using VfioKit.Fleet;

namespace VfioKit.Cli.Fleet;

/// <summary>Writes what `fleet fix` did (or, as a dry run, would do): one line per domain, the unreachable hosts, a
/// total line; or all of it as one JSON document.</summary>
internal static class FleetFixOutput
{
    public static void Text(TextWriter w, IReadOnlyList<FleetFixHost> hosts, bool define)
    {
        foreach (var h in hosts.Where(h => !h.Reached)) w.WriteLine($"{h.Uri}: unreachable: {h.Error}");
        foreach (var h in hosts)
            foreach (var d in h.Domains)
            {
                var where = $"{h.Uri} {d.Domain.Name}";
                var fixes = d.Fix is { } f && f.Applied.Count > 0 ? string.Join(", ", f.Applied.Select(a => $"{a.RuleId} line {a.Location.Line}")) : "";
                w.WriteLine(d.Outcome switch
                {
                    FleetFixOutcome.Unchanged => $"{where}: nothing to fix",
                    FleetFixOutcome.WouldChange => $"{where}: would fix {fixes}",
                    FleetFixOutcome.Defined => $"{where}: defined, fixed {fixes}; old XML kept in {d.KeptFile}" +
                        (d.Domain.Active ? " (running: takes effect at its next start)" : ""),
                    FleetFixOutcome.RolledBack => $"{where}: not defined: {d.Problem}; the old definition is restored (kept in {d.KeptFile})",
                    _ => $"{where}: failed: {d.Problem}",
                });
            }
        var t = Totals(hosts);
        w.WriteLine($"{t.Hosts} hosts ({t.Unreachable} unreachable), {t.Domains} domains: " + (define
            ? $"{t.Defined} defined, {t.Unchanged} unchanged, {t.RolledBack} rolled back, {t.Failed} failed"
            : $"{t.WouldChange} would change, {t.Unchanged} unchanged, {t.Failed} failed; a dry run: nothing was changed (--define --yes defines them)"));
    }

    public static void Json(TextWriter w, IReadOnlyList<FleetFixHost> hosts, bool define)
    {
        var json = new FleetFixJson(define,
            hosts.Select(h => new FleetFixHostJson(h.Uri, h.Reached, h.Error, h.Domains.Select(d => new FleetFixDomainJson(
                d.Domain.Name, d.Domain.Uuid, d.Domain.Active, Outcome(d.Outcome),
                (d.Fix?.Applied ?? []).Select(a => new FleetFixAppliedJson(a.RuleId, a.Location.Line, a.Fix!.Title)).ToList(),
                d.Fix?.Remaining.Count ?? 0, d.KeptFile, d.Problem)).ToList())).ToList(),
            Totals(hosts));
        w.WriteLine(JsonSerializer.Serialize(json, FleetFixJsonContext.Default.FleetFixJson));
    }

    private static string Outcome(FleetFixOutcome o) => o switch
    {
        FleetFixOutcome.Unchanged => "unchanged",
        FleetFixOutcome.WouldChange => "would-change",
        FleetFixOutcome.Defined => "defined",
        FleetFixOutcome.RolledBack => "rolled-back",
        _ => "failed",
    };

    private static FleetFixTotalsJson Totals(IReadOnlyList<FleetFixHost> hosts)
    {
        var all = hosts.SelectMany(h => h.Domains).ToList();
        int Count(FleetFixOutcome o) => all.Count(d => d.Outcome == o);
        return new FleetFixTotalsJson(hosts.Count, hosts.Count(h => !h.Reached), all.Count, Count(FleetFixOutcome.Unchanged),
            Count(FleetFixOutcome.WouldChange), Count(FleetFixOutcome.Defined), Count(FleetFixOutcome.RolledBack), Count(FleetFixOutcome.Failed));
    }
}
