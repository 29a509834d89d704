using VfioKit.Rules;

namespace VfioKit.Fixing;

/// <summary>
/// Applies the fixes of a lint report, then lints again and repeats until no fixable finding is left
/// (a fix may make another one possible: i440fx to q35, then the root port). Fixes whose edits overlap
/// wait for the next round. The result is a fixed point, so fixing it again changes nothing.
/// </summary>
public static class Fixer
{
    public const int MaxRounds = 10;

    public static FixResult Fix(ConfigDocument document, FixOptions options)
    {
        var text = document.Text;
        var applied = new List<Finding>();
        for (var round = 0; round < MaxRounds; round++)
        {
            var report = Linter.Lint(document with { Text = text }, options.Lint, options.Host, files: options.Files);
            var chosen = new List<TextEdit>();
            var any = false;
            foreach (var finding in report.Fixable(options.Unsafe))
            {
                var edits = finding.Fix!.Edits;
                if (edits.Count == 0 || edits.Any(e => chosen.Any(c => c.Overlaps(e)))) continue;
                chosen.AddRange(edits);
                applied.Add(finding);
                any = true;
            }
            if (!any) return new FixResult(document, text, applied, report.Findings);
            var next = TextEdits.Apply(text, chosen);
            if (next == text) return new FixResult(document, text, applied, report.Findings);
            text = next;
        }
        var final = Linter.Lint(document with { Text = text }, options.Lint, options.Host, files: options.Files);
        return new FixResult(document, text, applied, final.Findings);
    }
}

/// <summary>What fix needs besides the document: lint's options and host, and whether unsafe fixes apply.</summary>
public sealed record FixOptions(bool Unsafe = false, LintOptions? Lint = null, IHostFacts? Host = null, IHostFiles? Files = null);

/// <summary>The fixed text, the findings whose fixes were applied, and the findings left afterwards.</summary>
public sealed record FixResult(ConfigDocument Original, string FixedText, IReadOnlyList<Finding> Applied, IReadOnlyList<Finding> Remaining)
{
    public bool Changed => FixedText != Original.Text;
}
