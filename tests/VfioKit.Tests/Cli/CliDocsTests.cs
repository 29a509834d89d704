using System.Reflection;
using VfioKit.Cli;

namespace VfioKit.Tests.Cli;

/// <summary>docs/cli.md, the page ExitCodes.cs points to, against the code: every exit code and every verb.</summary>
public class CliDocsTests
{
    private static string Page => File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "cli.md"));

    [Fact]
    public void Every_exit_code_is_documented_with_its_value_and_name()
    {
        var codes = typeof(ExitCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).ToList();
        Assert.Equal(6, codes.Count);
        foreach (var f in codes)
            Assert.Contains($"| {(int)f.GetRawConstantValue()!} | {f.Name} |", Page);
    }

    [Fact]
    public void Every_verb_of_the_binary_is_documented()
    {
        var help = CliRun.Of("--help");
        Assert.Equal(0, help.ExitCode);
        var verbs = help.Out[help.Out.IndexOf("Commands:", StringComparison.Ordinal)..].Split('\n').Skip(1)
            .Select(l => l.Trim()).Where(l => l.Length > 0).Select(l => l.Split(' ')[0]).ToList();
        Assert.Contains("lint", verbs);
        foreach (var verb in verbs)
            Assert.Contains($"| `{verb}", Page);
    }
}
