using VfioKit.Rules;
using VfioKit.Edits;

namespace VfioKit.Linting;

/// <summary>
/// The lint-then-fix loop, above the rules and the repairers (it drives both, so it lives in neither).
/// Applies the fixes of a lint report, then lints again and repeats until no fixable finding is left
/// (a fix may make another one possible: i440fx to q35, then the root port). One fix per round: fixes
/// that add ports pick free ids and chassis numbers from the text as it is, so two in one round could
/// pick the same. Only fixes that each rewrite just their own device (dropping x-vga, io-reserve) are applied
/// several in one round, as a batch linted once, and only when that lint shows the rounds they stand for
/// (each removed its own finding and nothing else changed); else the round goes one fix at a time. The final
/// text is always linted: what is reported fixed is what that lint no longer finds. The result is a fixed point, so fixing it again changes nothing. A fix whose result
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
        // Each text's report, kept beside it: the stop of a cycle returns one already linted (null: a text inside
        // a batch, linted only if a cycle stops there).
        var reports = new List<LintReport?> { report };
        for (var round = 0; round < MaxRounds; round++)
        {
            if (Batch(document, text, report, options, texts) is { } batch)
            {
                // The rounds the loop would have taken one fix at a time, with one lint at the end instead of one each.
                var lines = batch.Fixes.Select(f => OriginalLine(f.Location.Line, history)).ToList();
                for (var i = 0; i < batch.Fixes.Count; i++)
                    Record(batch.Fixes[i], lines[i], i == 0 ? text : batch.Texts[i - 1], batch.Texts[i], i == batch.Fixes.Count - 1 ? batch.Report : null);
                (text, report) = (batch.Texts[^1], batch.Report);
                continue;
            }
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
                    return new FixResult(document, texts[k], applied, (reports[k] ?? Lint(document, texts[k], options)).Findings, declined);
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
            Record(finding, OriginalLine(finding.Location.Line, history), text, next, nextReport);
            (text, report) = (next, nextReport!);
        }
        return new FixResult(document, text, applied, report.Findings, declined);

        // One applied fix, at its line in the original text: its edits' line changes (to map later lines back),
        // and the text after it with that text's report.
        void Record(Finding fix, int originalLine, string before, string after, LintReport? afterReport)
        {
            applied.Add(fix with { Location = fix.Location with { Line = originalLine } });
            historyAt.Add(history.Count);
            foreach (var e in fix.Fix!.Edits.OrderByDescending(e => e.Offset))
                history.Add((LineAt(before, e.Offset), before.AsSpan(e.Offset, e.Length).Count('\n'), e.NewText.AsSpan().Count('\n')));
            texts.Add(after);
            reports.Add(afterReport);
        }
    }

    private static int Count(LintReport report, string rule) => report.Findings.Count(f => f.RuleId == rule);

    /// <summary>
    /// The report's leading fixable findings whose repairs are independent (<see cref="Fixing.RepairIntent.Independent"/>:
    /// each rewrites only its own device's words) and whose edits do not touch, when there are two or more: the texts
    /// the loop would reach applying them one per round (each fix's edits moved by the ones before it, as the
    /// re-lint would place them), and the report of the last, linted once. Null, and the loop goes one fix at a time,
    /// when a text is one the loop had before, the last does not read back, or its findings are not exactly the
    /// report's less the batch's (a fix that did not remove its finding, or changed another's): so the result, the
    /// fixes reported and the ones declined are those of one fix per round (the bench: two x-vga fixes in a 4 MiB
    /// script, three lints of it become two).
    /// </summary>
    private static (List<Finding> Fixes, List<string> Texts, LintReport Report)? Batch(ConfigDocument document, string text, LintReport report,
        FixOptions options, List<string> texts)
    {
        var fixes = new List<Finding>();
        var edits = new List<TextEdit>();
        foreach (var candidate in report.Fixable(options.Unsafe).Where(f => f.Fix!.Edits.Count > 0))
        {
            if (candidate.Repair is not { Independent: true } || candidate.Fix!.Edits.Any(e => edits.Any(o => Touches(e, o)))) break;
            fixes.Add(candidate);
            edits.AddRange(candidate.Fix.Edits);
        }
        if (fixes.Count < 2) return null;

        var moved = new List<Finding>();
        var steps = new List<string>();
        var done = new List<TextEdit>();
        var current = text;
        foreach (var f in fixes)
        {
            var shifted = f.Fix!.Edits.Select(e => e with { Offset = e.Offset + done.Where(d => d.Offset < e.Offset).Sum(d => d.NewText.Length - d.Length) }).ToList();
            var next = TextEdits.Apply(current, shifted);
            if (next == current || texts.Contains(next) || steps.Contains(next)) return null;
            done.AddRange(f.Fix.Edits);
            moved.Add(f with { Fix = f.Fix with { Edits = shifted } });
            steps.Add(next);
            current = next;
        }
        LintReport after;
        try { after = Lint(document, current, options); }
        catch (Diagnostics.InputException) { return null; }
        var left = report.Findings.Select(Key).ToList();
        foreach (var f in fixes) left.Remove(Key(f));
        var now = after.Findings.Select(Key).ToList();
        if (now.Count != left.Count || !left.Order(StringComparer.Ordinal).SequenceEqual(now.Order(StringComparer.Ordinal))) return null;
        return (moved, steps, after);
    }

    /// <summary>A finding as the batch check compares them: its rule, severity and message, not its line.</summary>
    private static string Key(Finding f) => $"{f.RuleId}\u0001{f.Severity}\u0001{f.Message}";

    /// <summary>Two edits that overlap or meet: applied together, one could change what the other rewrites.</summary>
    private static bool Touches(TextEdit a, TextEdit b) => a.Offset <= b.End && b.Offset <= a.End;

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
