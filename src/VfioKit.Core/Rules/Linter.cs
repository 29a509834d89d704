namespace VfioKit.Rules;

/// <summary>Reads a configuration into the models once and runs every applicable rule over them.</summary>
public static class Linter
{
    public static LintReport Lint(ConfigDocument document, LintOptions? options = null, IHostFacts? host = null, IReadOnlyList<IRule>? rules = null, IHostFiles? files = null)
    {
        var parsed = ConfigReaders.Read(document, host);
        var context = new LintContext(document, parsed.Topology, parsed.Tuning, parsed.Editor, options ?? LintOptions.Default) { Host = host, Files = files };
        var findings = new List<Finding>();
        foreach (var rule in rules ?? RuleCatalog.All)
        {
            var d = rule.Descriptor;
            if (!d.Formats.Includes(document.Format) || (d.NeedsHost && host is null)) continue;
            findings.AddRange(rule.Check(context));
        }
        var sorted = findings
            .OrderBy(f => f.Location.Line)
            .ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ThenBy(f => f.Message, StringComparer.Ordinal)
            .ToList();
        return new LintReport(document, sorted);
    }

    /// <summary>Reads text of an unknown format: detects it, then lints.</summary>
    public static LintReport Lint(string path, string text, LintOptions? options = null, IHostFacts? host = null, IHostFiles? files = null) =>
        Lint(new ConfigDocument(path, text, ConfigFormatDetector.Detect(path, text)), options, host, files: files);
}
