using System.Text.Json;
using VfioKit.Fixing;
using VfioKit.Formats;
using VfioKit.Linting;
using VfioKit.Rules;
using VfioKit.Tests.Cli;

namespace VfioKit.Tests.Fixing;

/// <summary>
/// What `rules --json` says `fix` repairs, rule by rule and format by format (derived from the repairers),
/// checked by running the fix on that rule's bad example in that format and linting the result (issue 12).
/// </summary>
public class FixabilityTests
{
    private sealed class ThisMachine : IHostFiles
    {
        public bool IsReadable(string path) => File.Exists(path);
    }

    /// <summary>Every (rule, format) the catalog lists, with the rule's claim as `rules --json` prints it.</summary>
    public static TheoryData<string, string, bool> Claims()
    {
        var data = new TheoryData<string, string, bool>();
        using var json = JsonDocument.Parse(CliRun.Of("rules", "--json").Out);
        foreach (var rule in json.RootElement.GetProperty("rules").EnumerateArray())
        {
            var fixableIn = rule.GetProperty("fixableIn").EnumerateArray().Select(f => f.GetString()!).ToHashSet();
            foreach (var format in rule.GetProperty("formats").EnumerateArray().Select(f => f.GetString()!))
                data.Add(rule.GetProperty("id").GetString()!, format, fixableIn.Contains(format));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Claims))]
    public void The_claimed_fixability_is_what_fix_does_on_the_bad_example(string id, string formatName, bool claimed)
    {
        var rule = RuleCatalog.Find(id)!;
        var format = ConfigFormatNames.All.Single(f => f.Name() == formatName);
        var examples = rule.Examples.Where(e => e.Format == format).ToList();
        // A claim needs an example to stand on; a rule with no example in a format claims no fix there.
        if (examples.Count == 0)
        {
            Assert.False(claimed, $"{id} claims a fix in {formatName} but has no bad example there");
            return;
        }
        foreach (var example in examples)
        {
            var doc = new ConfigDocument("bad", example.Bad, example.Format);
            var files = new ThisMachine();
            var before = Linter.Lint(doc, host: example.Host, files: files).Findings.Where(f => f.RuleId == id).ToList();
            Assert.NotEmpty(before);
            // The repair a finding asks for is one the rule declares, so the claim is derived from what rules emit.
            Assert.All(before.Where(f => f.Repair is not null), f => Assert.Contains(f.Repair!.GetType(), rule.Descriptor.Repairs ?? []));
            var result = Fixer.Fix(doc, new FixOptions(Unsafe: true, Host: example.Host, Files: files));
            var after = Linter.Lint(doc with { Text = result.FixedText }, host: example.Host, files: files);
            if (claimed)
            {
                Assert.Contains(result.Applied, f => f.RuleId == id);
                Assert.DoesNotContain(after.Findings, f => f.RuleId == id);
            }
            else
            {
                Assert.All(before, f => Assert.Null(f.Fix));
                Assert.DoesNotContain(result.Applied, f => f.RuleId == id);
            }
        }
    }

    [Fact]
    public void A_format_is_claimed_exactly_when_its_repairer_carries_a_repair_the_rule_asks_for()
    {
        var vk113 = RuleCatalog.Find(RuleIds.IoReserveZero)!.Descriptor;
        Assert.Equal(ConfigFormats.Qemu, vk113.FixFormats);
        Assert.DoesNotContain(typeof(RemoveIoReserve), Repairers.Carries(ConfigFormat.Libvirt));
        var vk101 = RuleCatalog.Find(RuleIds.PassthroughOnI440fx)!.Descriptor;
        Assert.Equal(ConfigFormats.All, vk101.FixFormats);
        Assert.Contains(typeof(UseQ35Machine), Repairers.Carries(ConfigFormat.Libvirt));
        var vk102 = RuleCatalog.Find(RuleIds.PcieDeviceOnRootBus)!.Descriptor;
        Assert.Equal(ConfigFormats.Libvirt | ConfigFormats.Qemu, vk102.FixFormats);
    }
}
