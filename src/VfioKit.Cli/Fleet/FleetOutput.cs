using System.Text.Json;
using VfioKit.Cli.Lint;
using VfioKit.Fleet;
using VfioKit.Rules;

namespace VfioKit.Cli.Fleet;

/// <summary>Writes a fleet's lint results: a summary table host x severity x rule, unreachable hosts, then the
/// findings per domain; or all of it as one JSON document.</summary>
internal static class FleetOutput
{
    /// <param name="proxmox">Hosts are Proxmox nodes and domains VM configs (fleet lint --proxmox): fixed as files.</param>
    public static void Text(TextWriter w, IReadOnlyList<FleetHost> hosts, bool proxmox = false)
    {
        var rows = Counts(hosts);
        if (rows.Count > 0)
        {
            var hw = Math.Max(4, rows.Max(r => r.Host.Length));
            w.WriteLine($"{"HOST".PadRight(hw)}  SEVERITY  RULE   COUNT");
            foreach (var r in rows) w.WriteLine($"{r.Host.PadRight(hw)}  {r.Severity,-8}  {r.Rule,-5}  {r.Count,5}");
            w.WriteLine();
        }
        foreach (var h in hosts.Where(h => !h.Reached)) w.WriteLine($"{h.Uri}: unreachable: {h.Error}");
        foreach (var h in hosts.Where(h => h.Reached))
            foreach (var d in h.Domains)
            {
                if (d.Error is { } error) { w.WriteLine($"{h.Uri} {d.Domain.Name}: not read: {error}"); continue; }
                var findings = d.Report!.Findings;
                if (findings.Count == 0) continue;
                var about = string.Join(", ", new[] { d.Domain.Uuid, d.Domain.Active ? "running" : "" }.Where(x => x.Length > 0));
                w.WriteLine($"{h.Uri} {d.Domain.Name}{(about.Length > 0 ? $" ({about})" : "")}:");
                foreach (var f in findings) w.WriteLine($"    line {f.Location.Line}: {f.Severity.Name()} {f.RuleId}: {f.Message}");
            }
        var t = Totals(hosts);
        w.WriteLine($"{t.Hosts} hosts ({t.Unreachable} unreachable), {t.Domains} domains: {t.Errors} errors, {t.Warnings} warnings, {t.Infos} info; {t.Fixable} fixable with " +
            (proxmox ? "`vfiokit fix FILE --write`" : "`vfiokit fix DOMAIN --connect URI --define`"));
    }

    public static void Json(TextWriter w, IReadOnlyList<FleetHost> hosts)
    {
        var json = new FleetJson(
            hosts.Select(h => new FleetHostJson(h.Uri, h.Reached, h.Error, h.Domains.Select(d => new FleetDomainJson(
                d.Domain.Name, d.Domain.Uuid, d.Domain.Active, d.Error,
                (d.Report?.Findings ?? []).Select(f => new FindingJson(f.RuleId, f.Severity.Name(), f.Message, f.Location.File, f.Location.Line,
                    f.Fixable, f.Fix?.Title, f.Rule.Help)).ToList())).ToList())).ToList(),
            Counts(hosts), Totals(hosts));
        w.WriteLine(JsonSerializer.Serialize(json, FleetJsonContext.Default.FleetJson));
    }

    /// <summary>SARIF 2.1.0 as lint writes it, one run for the whole fleet: each result's artifact is URI/DOMAIN (the
    /// domain's persistent or live XML), and a host that could not be reached is a tool execution notification.</summary>
    public static void Sarif(TextWriter w, IReadOnlyList<FleetHost> hosts, string version) =>
        LintOutput.Sarif(w, hosts.SelectMany(h => h.Domains).Where(d => d.Report is not null).Select(d => d.Report!).ToList(), version,
            hosts.Where(h => !h.Reached).Select(h => (h.Uri, $"{h.Uri}: unreachable: {h.Error}"))
                .Concat(hosts.SelectMany(h => h.Domains.Where(d => d.Error is not null)
                    .Select(d => ($"{h.Uri}/{d.Domain.Name}", $"{h.Uri} {d.Domain.Name}: not read: {d.Error}"))))
                .ToList());

    /// <summary>Findings counted per host, severity (most severe first) and rule.</summary>
    private static List<FleetCountJson> Counts(IReadOnlyList<FleetHost> hosts) =>
        hosts.SelectMany(h => Findings(h).Select(f => (h.Uri, f.Severity, f.RuleId)))
            .GroupBy(x => x)
            .OrderBy(g => g.Key.Uri, StringComparer.Ordinal).ThenByDescending(g => g.Key.Severity).ThenBy(g => g.Key.RuleId, StringComparer.Ordinal)
            .Select(g => new FleetCountJson(g.Key.Uri, g.Key.Severity.Name(), g.Key.RuleId, g.Count()))
            .ToList();

    private static FleetTotalsJson Totals(IReadOnlyList<FleetHost> hosts)
    {
        var all = hosts.SelectMany(Findings).ToList();
        return new FleetTotalsJson(hosts.Count, hosts.Count(h => !h.Reached), hosts.Sum(h => h.Domains.Count),
            all.Count(f => f.Severity == Severity.Error), all.Count(f => f.Severity == Severity.Warning),
            all.Count(f => f.Severity == Severity.Info), all.Count(f => f.Fixable));
    }

    private static IEnumerable<Finding> Findings(FleetHost h) => h.Domains.SelectMany(d => d.Report?.Findings ?? []);
}
