namespace VfioKit.Rules;

/// <summary>The findings of one configuration, sorted by line, with the document they are about.</summary>
public sealed record LintReport(ConfigDocument Document, IReadOnlyList<Finding> Findings)
{
    public int Count(Severity severity) => Findings.Count(f => f.Severity == severity);

    public bool AnyAtOrAbove(Severity threshold) => Findings.Any(f => f.Severity >= threshold);

    public IEnumerable<Finding> Fixable(bool includeUnsafe) =>
        Findings.Where(f => f.Fix is { } fix && (includeUnsafe || !fix.Unsafe));
}
