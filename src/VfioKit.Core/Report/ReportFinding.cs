namespace VfioKit.Report;

/// <summary>
/// One finding as the report shows it: numbered, with the element it concerns (an id of
/// <see cref="ReportIds"/>), its rule id when a lint rule raised it, and where in the configuration.
/// </summary>
/// <param name="Number">1-based, in report order; the badge drawn at the element.</param>
/// <param name="Severity">"error", "warning" or "info".</param>
/// <param name="Elements">The ids of the elements it concerns; the first is where the badge goes.</param>
/// <param name="Location">"FILE:LINE" in the configuration, or null.</param>
public sealed record ReportFinding(
    int Number,
    FindingOrigin Origin,
    string? RuleId,
    string Severity,
    string Message,
    IReadOnlyList<string> Elements,
    string? Location)
{
    public string Id => ReportIds.Finding(Number);
}
