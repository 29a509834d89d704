using VfioKit.Rules;
using VfioKit.Edits;

namespace VfioKit.Linting;

/// <summary>
/// The lint-then-fix loop, above the rules and the repairers (it drives both, so it lives in neither).
/// Applies the fixes of a lint report, then lints again and repeats until no fixable finding is left
/// (a fix may make another one possible: i440fx to q35, then the root port). One fix per round: fixes
/// that add ports pick free ids and chassis numbers from the text as it is, so two in one round could
/// pick the same. The result is a fixed point, so fixing it again changes nothing. A fix whose result
/// lint refuses to read, or that brings back a text an earlier round had (two fixes undoing each other),
/// is declined, not applied: fix never writes what it cannot read back, and never loops (both were found
/// by fuzzing, issue 11). So is a fix after which its rule finds as much as before: fix never says it
/// fixed what the re-lint still reports (issue 13).
/// </summary>
public static class Fixer
{
    public const int MaxRounds = 64;

    public static FixResult Fix(ConfigDocument document, FixOptions options)
    {
        var text = document.Text;
        var applied = new List<Finding>();
        var declined = new List<Finding>();
        // The text before each round: a fix that brings one back closes a cycle of fixes undoing each other.
        var texts = new List<string> { text };
        // Per applied edit: its first line, and the lines it removed and added, to map later lines back.
        var history = new List<(int Line, int Removed, int Added)>();
        var historyAt = new List<int>();
        var report = Lint(document, text, options);
        // Each text's report, kept beside it: the stop of a cycle returns one already linted.
        var reports = new List<LintReport> { report };
        for (var round = 0; round < MaxRounds; round++)
        {
            Finding? finding = null;
            string next = text;
            LintReport? nextReport = null;
            foreach (var candidate in report.Fixable(options.Unsafe).Where(f => f.Fix!.Edits.Count > 0))
            {
                var candidateText = TextEdits.Apply(text, candidate.Fix!.Edits);
                if (texts.IndexOf(candidateText) is var k and >= 0 && candidateText != text)
                {
                    // Back where round k started: undo the cycle's fixes and stop there. Fixing that text again
                    // takes the same path to the same stop, so the result stays a fixed point.
                    declined.AddRange(applied.Skip(k));
                    declined.Add(candidate with { Location = candidate.Location with { Line = OriginalLine(candidate.Location.Line, history) } });
                    applied.RemoveRange(k, applied.Count - k);
                    history.RemoveRange(historyAt[k], history.Count - historyAt[k]);
                    return new FixResult(document, texts[k], applied, reports[k].Findings, declined);
                }
                LintReport? candidateReport = null;
                if (candidateText != text)
                {
                    try { candidateReport = Lint(document, candidateText, options); }
                    catch (Diagnostics.InputException) { }
                }
                // Honest fixes only: one that changes nothing, or after which its rule reports as much as before
                // (a port still below the GPU link), is declined, never reported as fixed.
                if (candidateReport is null || Count(candidateReport, candidate.RuleId) >= Count(report, candidate.RuleId))
                {
                    declined.Add(candidate with { Location = candidate.Location with { Line = OriginalLine(candidate.Location.Line, history) } });
                    continue;
                }
                (finding, next, nextReport) = (candidate, candidateText, candidateReport);
                break;
            }
            if (finding is null) return new FixResult(document, text, applied, report.Findings, declined);
            applied.Add(finding with { Location = finding.Location with { Line = OriginalLine(finding.Location.Line, history) } });
            historyAt.Add(history.Count);
            foreach (var e in finding.Fix!.Edits.OrderByDescending(e => e.Offset))
                history.Add((LineAt(text, e.Offset), text.AsSpan(e.Offset, e.Length).Count('\n'), e.NewText.AsSpan().Count('\n')));
            texts.Add(next);
            reports.Add(nextReport!);
            (text, report) = (next, nextReport!);
        }
        return new FixResult(document, text, applied, report.Findings, declined);
    }

    private static int Count(LintReport report, string rule) => report.Findings.Count(f => f.RuleId == rule);

    private static LintReport Lint(ConfigDocument document, string text, FixOptions options) =>
        Linter.Lint(document with { Text = text }, options.Lint, options.Host, options.Rules, options.Files);

    /// <summary>A line of the current text mapped back to the original, undoing the applied edits newest first
    /// (a line inside an inserted block maps to where the block was inserted).</summary>
    private static int OriginalLine(int line, List<(int Line, int Removed, int Added)> history)
    {
        for (var i = history.Count - 1; i >= 0 && line > 0; i--)
        {
            var (start, removed, added) = history[i];
            if (line > start + added) line = line - added + removed;
            else if (line > start) line = start;
        }
        return line;
    }

    private static int LineAt(string text, int offset) => 1 + text.AsSpan(0, Math.Min(offset, text.Length)).Count('\n');
}

/// <summary>What fix needs besides the document: lint's options and host, and whether unsafe fixes apply.</summary>
/// <param name="Rules">The rules to lint and fix with; null: all (the KubeVirt hook names only its safe topology rules).</param>
public sealed record FixOptions(bool Unsafe = false, LintOptions? Lint = null, IHostFacts? Host = null, IHostFiles? Files = null,
    IReadOnlyList<IRule>? Rules = null);

/// <summary>The fixed text, the findings whose fixes were applied, the findings left afterwards, and the fixes
/// declined because their result would not read back or would undo an earlier fix (a defect of that fix).</summary>
public sealed record FixResult(ConfigDocument Original, string FixedText, IReadOnlyList<Finding> Applied, IReadOnlyList<Finding> Remaining,
    IReadOnlyList<Finding> Declined)
{
    public bool Changed => FixedText != Original.Text;
}
