using System.CommandLine;
using VfioKit.Cli.Lint;
using VfioKit.Report;

namespace VfioKit.Cli.Commands;

/// <summary>`--report FILE.html` of host, guest-view and plan: the same page `vfiokit report --output` writes, with the facts that verb has.</summary>
internal static class ReportOption
{
    public static Option<string?> Create(string what) => new("--report")
    {
        Description = $"Also write the HTML report (as `vfiokit report --output`) of {what} to this file.",
    };

    /// <summary>Writes the page like report --output (atomically, a previous file kept as FILE.bak); the verb's own output and exit code are unchanged.</summary>
    public static void Write(CliIO io, string? path, Func<PassthroughReport> build)
    {
        if (path is null) return;
        var report = build();
        ReportCommand.Write(path, ReportHtml.Render(report, RulePages.Page), "--report");
        io.Error.WriteLine($"vfiokit: wrote {path} ({report.Findings.Count} findings)");
    }
}
