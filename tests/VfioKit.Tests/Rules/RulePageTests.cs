using VfioKit.Formats;
using VfioKit.Rules;

namespace VfioKit.Tests.Rules;

/// <summary>
/// docs/rules/VKnnn.md against the rule: the header's formats, --host and fixability are the descriptor's,
/// and the page's Bad and Good blocks are the rule's first example, which the example loop lints
/// (RuleCatalogTests) and fixes (FixTests). Set VFIOKIT_WRITE_RULE_PAGES=1 to rewrite the blocks from the code.
/// </summary>
public class RulePageTests
{
    private static string PagePath(string id) => Path.Combine(TestPaths.RepoRoot, "docs", "rules", id + ".md");

    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var d in RuleCatalog.Descriptors) data.Add(d.Id);
        return data;
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_header_states_the_formats_host_need_and_fixability_of_the_code(string id)
    {
        var d = RuleCatalog.Find(id)!.Descriptor;
        var lines = File.ReadAllLines(PagePath(id));
        var header = string.Join(" ", lines.Skip(2).TakeWhile(l => l.Length > 0));
        var formats = header[(header.IndexOf("Formats: ", StringComparison.Ordinal) + 9)..];
        formats = formats[..formats.IndexOfAny(['.', '('])];
        var listed = formats.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Order().ToList();
        Assert.Equal(ConfigFormatNames.All.Where(f => d.Formats.Includes(f)).Select(f => f.Name()).Order().ToList(), listed);
        Assert.Equal(d.NeedsHost, header.Contains("Needs `--host`", StringComparison.Ordinal));
        var fixable = header[(header.IndexOf("Fixable: ", StringComparison.Ordinal) + 9)..];
        Assert.Equal(d.FixFormats != ConfigFormats.None, fixable.StartsWith("yes", StringComparison.Ordinal));
        if (d.FixFormats != ConfigFormats.None && d.FixFormats != d.Formats)
        {
            // A partial claim names exactly the formats fixed: "yes, in qemu and proxmox".
            var named = ConfigFormatNames.All.Where(f => fixable.Split('.')[0].Contains(f.Name(), StringComparison.Ordinal)).ToList();
            Assert.Equal(ConfigFormatNames.All.Where(f => d.FixFormats.Includes(f)).ToList(), named);
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_bad_and_good_blocks_are_the_rules_linted_example(string id)
    {
        var rule = RuleCatalog.Find(id)!;
        Assert.NotEmpty(rule.Examples);
        var page = File.ReadAllText(PagePath(id));
        var start = page.IndexOf("## Bad\n", StringComparison.Ordinal);
        var end = page.IndexOf("## How the fix works", StringComparison.Ordinal);
        Assert.True(start > 0 && end > start, $"{id}: no '## Bad' ... '## How the fix works'");
        var expected = page[..start] + Blocks(rule.Examples.OrderBy(e => e.Format == ConfigFormat.Qemu ? 0 : 1).First()) + page[end..];
        if (Environment.GetEnvironmentVariable("VFIOKIT_WRITE_RULE_PAGES") == "1") File.WriteAllText(PagePath(id), expected);
        Assert.Equal(expected, page);
    }

    private static string Blocks(RuleExample e)
    {
        var what = e.Format switch
        {
            ConfigFormat.Qemu => "A QEMU launch script",
            ConfigFormat.Libvirt => "A libvirt domain",
            _ => "A Proxmox VM config",
        };
        var host = e.Host is null ? "" : " (linted with `--host` of a host with an NVIDIA GPU at 0000:0b:00, 8 CPUs)";
        static string Indent(string text) => string.Join("\n", text.TrimEnd().Split('\n').Select(l => l.Length == 0 ? "" : "    " + l));
        return $"## Bad\n{what}{host} that `vfiokit lint` reports:\n\n{Indent(e.Bad)}\n\n## Good\nThe same, as the rule wants it:\n\n{Indent(e.Good)}\n\n";
    }
}
