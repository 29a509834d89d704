using VfioKit.Rules;
using VfioKit.Edits;

namespace VfioKit.Linting;

/// <summary>
/// The lint-then-fix loop, above the rules and the repairers (it drives both, so it lives in neither).
/// Applies the fixes of a lint report, then lints again and repeats until no fixable finding is left
/// (a fix may make another one possible: i440fx to q35, then the root port). One fix per round: fixes
/// that add ports pick free ids and chassis numbers from the text as it is, so two in one round could
/// pick the same. The result is a fixed point, so fixing it again changes nothing.
/// </summary>
public static class Fixer
{
    public const int MaxRounds = 64;

    public static FixResult Fix(ConfigDocument document, FixOptions options)
    {
        var text = document.Text;
        var applied = new List<Finding>();
        // Per applied edit: its first line, and the lines it removed and added, to map later lines back.
        var history = new List<(int Line, int Removed, int Added)>();
        for (var round = 0; round < MaxRounds; round++)
        {
            var report = Linter.Lint(document with { Text = text }, options.Lint, options.Host, files: options.Files);
            var finding = report.Fixable(options.Unsafe).FirstOrDefault(f => f.Fix!.Edits.Count > 0);
            if (finding is null) return new FixResult(document, text, applied, report.Findings);
            var next = TextEdits.Apply(text, finding.Fix!.Edits);
            applied.Add(finding with { Location = finding.Location with { Line = OriginalLine(finding.Location.Line, history) } });
            foreach (var e in finding.Fix.Edits.OrderByDescending(e => e.Offset))
                history.Add((LineAt(text, e.Offset), text.AsSpan(e.Offset, e.Length).Count('\n'), e.NewText.AsSpan().Count('\n')));
            if (next == text) return new FixResult(document, text, applied, report.Findings);
            text = next;
        }
        var final = Linter.Lint(document with { Text = text }, options.Lint, options.Host, files: options.Files);
        return new FixResult(document, text, applied, final.Findings);
    }

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
public sealed record FixOptions(bool Unsafe = false, LintOptions? Lint = null, IHostFacts? Host = null, IHostFiles? Files = null);

/// <summary>The fixed text, the findings whose fixes were applied, and the findings left afterwards.</summary>
public sealed record FixResult(ConfigDocument Original, string FixedText, IReadOnlyList<Finding> Applied, IReadOnlyList<Finding> Remaining)
{
    public bool Changed => FixedText != Original.Text;
}
