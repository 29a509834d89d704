using System.Reflection;
using VfioKit.Formats;
using VfioKit.Rules;
using VfioKit.Tests.Cli;

namespace VfioKit.Tests.Rules;

/// <summary>The catalog as a whole: IDs, pages, release table, and every rule's bad and good examples.</summary>
public class RuleCatalogTests
{
    private static string RulesDocs => Path.Combine(TestPaths.RepoRoot, "docs", "rules");

    public static TheoryData<string> RuleIdsInCatalog()
    {
        var data = new TheoryData<string>();
        foreach (var d in RuleCatalog.Descriptors) data.Add(d.Id);
        return data;
    }

    public static TheoryData<string, int> Examples()
    {
        var data = new TheoryData<string, int>();
        foreach (var r in RuleCatalog.All)
            for (var i = 0; i < r.Examples.Count; i++) data.Add(r.Descriptor.Id, i);
        return data;
    }

    [Fact]
    public void Ids_are_unique_well_formed_and_exactly_the_RuleIds_constants()
    {
        var ids = RuleCatalog.Descriptors.Select(d => d.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(RuleIds.IsWellFormed(id), id));
        var constants = typeof(RuleIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).OrderBy(x => x).ToList();
        Assert.Equal(constants, ids.OrderBy(x => x).ToList());
    }

    [Fact]
    public void The_release_table_lists_every_id_once_and_no_id_is_reused()
    {
        var table = File.ReadAllLines(Path.Combine(RulesDocs, "RELEASES.md"))
            .Where(l => l.StartsWith("| VK", StringComparison.Ordinal)).Select(l => l.Split('|')[1].Trim()).ToList();
        Assert.Equal(table.Count, table.Distinct().Count());
        foreach (var d in RuleCatalog.Descriptors) Assert.Contains(d.Id, table);
    }

    [Theory]
    [MemberData(nameof(RuleIdsInCatalog))]
    public void Every_rule_has_its_page_and_explain_prints_it(string id)
    {
        var page = Path.Combine(RulesDocs, id + ".md");
        Assert.True(File.Exists(page), $"{page} is missing");
        var text = File.ReadAllText(page);
        foreach (var section in new[] { "## What it checks", "## Why it matters", "## Bad", "## Good", "## How the fix works" })
            Assert.Contains(section, text);
        var run = CliRun.Of("explain", id.ToLowerInvariant());
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(text, run.Out);
    }

    [Fact]
    public void Every_rule_that_needs_no_host_has_an_example_in_each_format_it_applies_to()
    {
        var missing = new List<string>();
        foreach (var r in RuleCatalog.All.Where(r => !r.Descriptor.NeedsHost))
            foreach (var f in ConfigFormatNames.All.Where(f => r.Descriptor.Formats.Includes(f)))
                if (!r.Examples.Any(e => e.Format == f)) missing.Add($"{r.Descriptor.Id}/{f.Name()}");
        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Bad_example_fires_and_good_example_does_not(string id, int index)
    {
        var rule = RuleCatalog.Find(id)!;
        var example = rule.Examples[index];
        var files = new LocalFilesForTests();
        var bad = Linter.Lint(new ConfigDocument("bad", example.Bad, example.Format), host: example.Host, files: files);
        Assert.Contains(bad.Findings, f => f.RuleId == id);
        var good = Linter.Lint(new ConfigDocument("good", example.Good, example.Format), host: example.Host, files: files);
        Assert.DoesNotContain(good.Findings, f => f.RuleId == id);
        // The detector must agree with the example's format, so `vfiokit lint FILE` sees the same thing.
        Assert.Equal(example.Format, ConfigFormatDetector.Detect("bad", example.Bad));
    }

    [Fact]
    public void Rules_lists_the_catalog_as_a_table_and_as_json()
    {
        var table = CliRun.Of("rules");
        Assert.Equal(0, table.ExitCode);
        foreach (var d in RuleCatalog.Descriptors) Assert.Contains(d.Id, table.Out);
        var json = CliRun.Of("rules", "--json");
        Assert.Equal(0, json.ExitCode);
        using var doc = System.Text.Json.JsonDocument.Parse(json.Out);
        var rules = doc.RootElement.GetProperty("rules");
        Assert.Equal(RuleCatalog.Descriptors.Count, rules.GetArrayLength());
        Assert.Equal("VK101", rules[0].GetProperty("id").GetString());
        Assert.Equal("error", rules[0].GetProperty("severity").GetString());
    }

    [Fact]
    public void Explain_of_an_unknown_rule_is_bad_input()
    {
        var run = CliRun.Of("explain", "VK999");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("VK999", run.Error);
    }

    /// <summary>This machine's file system, for VK207's examples (a missing ROM path and /proc/cpuinfo).</summary>
    private sealed class LocalFilesForTests : IHostFiles
    {
        public bool IsReadable(string path) => File.Exists(path);
    }
}
