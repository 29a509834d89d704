using System.Text.Json;
using VfioKit.Rules;

namespace VfioKit.Cli.Lint;

/// <summary>Writes lint reports as text for people, JSON, or SARIF 2.1.0; the same findings feed all three.</summary>
internal static class LintOutput
{
    public static void Text(TextWriter w, IReadOnlyList<LintReport> reports)
    {
        foreach (var f in reports.SelectMany(r => r.Findings))
        {
            w.WriteLine($"{f.Location}: {f.Severity.Name()} {f.RuleId}: {VfioKit.Diagnostics.VisibleText.Of(f.Message)}");
            w.WriteLine($"    why: {f.Rule.Why}");
            if (f.Fix is { } fix) w.WriteLine($"    fix: {fix.Title}{(fix.Unsafe ? " (unsafe: needs fix --unsafe)" : "")}");
        }
        var all = reports.SelectMany(r => r.Findings).ToList();
        if (all.Count == 0)
        {
            w.WriteLine($"{Files(reports.Count)}: no findings");
            return;
        }
        var fixable = all.Count(f => f.Fixable);
        w.WriteLine($"{Files(reports.Count)}: {Count(all, Severity.Error, "error")}, {Count(all, Severity.Warning, "warning")}, " +
                    $"{Count(all, Severity.Info, "info")}; {fixable} fixable with `vfiokit fix`" +
                    (all.Select(f => f.RuleId).Distinct().FirstOrDefault() is { } id ? $"; `vfiokit explain {id}` tells more" : ""));
    }

    public static void Json(TextWriter w, IReadOnlyList<LintReport> reports)
    {
        var all = reports.SelectMany(r => r.Findings).ToList();
        var json = new LintJson(
            all.Select(f => new FindingJson(f.RuleId, f.Severity.Name(), f.Message, f.Location.File, f.Location.Line, f.Fixable, f.Fix?.Title, f.Rule.Help)).ToList(),
            new LintSummaryJson(reports.Count, all.Count(f => f.Severity == Severity.Error), all.Count(f => f.Severity == Severity.Warning),
                all.Count(f => f.Severity == Severity.Info), all.Count(f => f.Fixable)));
        w.WriteLine(JsonSerializer.Serialize(json, LintJsonContext.Default.LintJson));
    }

    /// <param name="notRead">What fleet lint could not read (a host's URI or URI/DOMAIN, and why): one invocation,
    /// not successful when any, with an error notification each; null for lint, which reports no invocation.</param>
    public static void Sarif(TextWriter w, IReadOnlyList<LintReport> reports, string version,
        IReadOnlyList<(string Uri, string Message)>? notRead = null)
    {
        var catalog = RuleCatalog.Descriptors;
        var rules = catalog.Select(d => new SarifRule(d.Id, d.Title, new SarifText(d.Title), new SarifText(d.Why), new SarifText(d.Help),
            new SarifConfiguration(Level(d.Severity)))).ToList();
        var index = catalog.Select((d, i) => (d.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var results = reports.SelectMany(r => r.Findings).Select(f => new SarifResult(
            f.RuleId, index.GetValueOrDefault(f.RuleId, -1), Level(f.Severity), new SarifText(f.Message),
            [new SarifLocation(new SarifPhysicalLocation(new SarifArtifactLocation(Uri(f.Location.File)), f.Location.Line > 0 ? new SarifRegion(f.Location.Line) : null))],
            f.Fix is { } fix ? [new SarifFix(new SarifText(fix.Title))] : null)).ToList();
        var log = new SarifLog("https://json.schemastore.org/sarif-2.1.0.json", "2.1.0",
            [new SarifRun(new SarifTool(new SarifDriver("vfiokit", version, rules)), results, notRead is null ? null :
                [new SarifInvocation(notRead.Count == 0, notRead.Select(u => new SarifNotification("error", new SarifText(u.Message),
                    [new SarifLocation(new SarifPhysicalLocation(new SarifArtifactLocation(u.Uri), null))])).ToList())])]);
        w.WriteLine(JsonSerializer.Serialize(log, SarifJsonContext.Default.SarifLog));
    }

    /// <summary>SARIF's levels: error, warning, note.</summary>
    private static string Level(Severity s) => s switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "note",
    };

    /// <summary>A relative path stays relative (SARIF resolves it against the run's base); "-" is stdin.</summary>
    private static string Uri(string path) => path == "-" ? "stdin" : path.Replace('\\', '/');

    private static string Files(int n) => n == 1 ? "1 file" : $"{n} files";

    private static string Count(List<Finding> all, Severity s, string word)
    {
        var n = all.Count(f => f.Severity == s);
        return n == 1 || s == Severity.Info ? $"{n} {word}" : $"{n} {word}s";
    }
}
