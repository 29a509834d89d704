using System.Text.Json;
using System.Text.RegularExpressions;
using VfioKit.Tests.Cli;
using VfioKit.Tests.Probe;

namespace VfioKit.Tests.RealConfigs;

/// <summary>
/// Real GPU passthrough configurations from public repositories (Data/RealConfigs, docs/corpus.md), judged by
/// hand once: every valid file is read, lint's findings are exactly the expert's except the disagreements
/// EXPECTED.tsv lists (false alarms, misses, refused files, false fix claims), and fix's output is read again
/// without the rules it says it fixed. The list is a ratchet: a new disagreement fails, and so does a listed
/// one that went away, naming the EXPECTED.tsv line to change.
/// </summary>
public partial class RealConfigCorpusTests
{
    public static TheoryData<string> Files() => [.. RealConfigCorpus.Files];

    [Fact]
    public void At_least_forty_files_each_with_repository_path_and_commit()
    {
        var files = RealConfigCorpus.Files;
        Assert.True(files.Count >= 40, $"only {files.Count} configurations");
        var sources = RealConfigCorpus.Sources.ToDictionary(s => s[0]);
        Assert.Equal(files.Order(StringComparer.Ordinal), sources.Keys.Order(StringComparer.Ordinal));
        foreach (var s in sources.Values)
        {
            Assert.True(s.Length == 5, $"{s[0]}: SOURCES.tsv wants name, repository, path, commit, licence");
            Assert.Matches(OwnerName(), s[1]);
            Assert.False(string.IsNullOrWhiteSpace(s[2]), $"{s[0]}: no path");
            Assert.Matches(Commit(), s[3]);
        }
        Assert.True(files.Count(f => f.StartsWith("libvirt-", StringComparison.Ordinal)) >= 10, "fewer than 10 libvirt domains");
        Assert.True(files.Count(f => f.StartsWith("pve-", StringComparison.Ordinal)) >= 8, "fewer than 8 Proxmox configs");
        Assert.True(files.Count(RealConfigCorpus.IsQemu) >= 12, "fewer than 12 QEMU scripts");
    }

    [Fact]
    public void Every_judgement_names_a_corpus_file_and_a_known_verdict()
    {
        string[] verdicts = [Judgement.Expected, Judgement.FalseAlarm, Judgement.Missed, Judgement.Invalid, Judgement.FalseClaim];
        foreach (var j in RealConfigCorpus.Judgements)
        {
            Assert.True(RealConfigCorpus.Files.Contains(j.File), $"{j}: no such file");
            Assert.True(verdicts.Contains(j.Verdict), $"{j}: unknown verdict");
            Assert.False(string.IsNullOrWhiteSpace(j.Reason), $"{j}: no reason");
            if (j.Verdict is Judgement.FalseAlarm or Judgement.Missed or Judgement.FalseClaim)
                Assert.True(j.Owner != "-", $"{j}: a disagreement names who owns it");
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Lint_reads_the_file_and_finds_what_the_expert_found(string file)
    {
        var judgements = RealConfigCorpus.Of(file).ToList();
        var read = judgements.SingleOrDefault(j => j.Rule == Judgement.Read);
        var run = CliRun.Of("lint", Path.Combine(RealConfigCorpus.Dir, file), "--json");

        if (read?.Verdict is Judgement.Missed)
        {
            Assert.True(run.ExitCode == 2, $"{file} is read now (exit {run.ExitCode}): remove {read} and judge its findings:\n{run.Out}");
            return;
        }
        if (read?.Verdict is Judgement.Invalid)
        {
            Assert.True(run.ExitCode == 2, $"{file} is broken ({read.Reason}) yet lint exits {run.ExitCode}");
            return;
        }
        Assert.True(run.ExitCode is 0 or 1, $"{file} is valid but lint exits {run.ExitCode}: {run.Error}");

        var findings = Parse(run.Out);
        var problems = new List<string>();
        foreach (var j in judgements.Where(j => j.IsFinding))
        {
            var seen = findings.Any(j.Matches);
            switch (j.Verdict)
            {
                case Judgement.Expected when !seen:
                    problems.Add($"new miss: {j}");
                    break;
                case Judgement.FalseAlarm when !seen:
                    problems.Add($"false alarm gone: delete {j}");
                    break;
                case Judgement.Missed when seen:
                    problems.Add($"miss now found: mark it expected (with its line) in {j}");
                    break;
            }
        }
        foreach (var f in findings.Where(f => !judgements.Any(j => j.IsFinding && j.Verdict != Judgement.Missed && j.Matches(f))))
            problems.Add($"unjudged finding (judge it in EXPECTED.tsv): {file} {f}");
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Guest_view_reads_every_file_lint_reads(string file)
    {
        var read = RealConfigCorpus.Of(file).SingleOrDefault(j => j.Rule == Judgement.Read);
        var view = CliRun.Of("guest-view", Path.Combine(RealConfigCorpus.Dir, file));
        if (read is { Verdict: Judgement.Missed or Judgement.Invalid })
            Assert.True(view.ExitCode == 2, $"guest-view reads {file} (exit {view.ExitCode}) while lint does not: see {read}");
        else
            Assert.True(view.ExitCode is 0 or 1, $"guest-view cannot read {file} (exit {view.ExitCode}): {view.Error}");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Fix_output_is_read_again_runs_through_bash_and_keeps_its_fixes(string file)
    {
        var judgements = RealConfigCorpus.Of(file).ToList();
        var fix = CliRun.Of("fix", Path.Combine(RealConfigCorpus.Dir, file));
        if (judgements.SingleOrDefault(j => j.Rule == Judgement.Read && j.Verdict != Judgement.Expected) is { } unread)
        {
            // Not read today: fix must refuse it as lint does, never rewrite what it cannot read.
            Assert.True(fix.ExitCode == 2, $"fix {file} exits {fix.ExitCode} while lint refuses it: see {unread}\n{fix.Error}");
            return;
        }
        Assert.True(fix.ExitCode == 0, $"fix {file} exits {fix.ExitCode}: {fix.Error}");
        using var dir = new TempDirectory("vfiokit-realconfig-");
        var fixedFile = dir.File(file);
        File.WriteAllText(fixedFile, fix.Out);

        var relint = CliRun.Of("lint", fixedFile, "--json");
        Assert.True(relint.ExitCode is 0 or 1, $"lint cannot read the fixed {file} (exit {relint.ExitCode}): {relint.Error}\n{fix.Out}");
        if (file.EndsWith(".sh", StringComparison.Ordinal))
        {
            var bash = ExternalTool.Run("bash", ["-n", fixedFile]);
            Assert.True(bash.ExitCode == 0, $"bash -n rejects the fixed {file}: {bash.Error}");
        }

        var claimed = FixedRule().Matches(fix.Error).Select(m => m.Groups[1].Value).ToHashSet();
        var still = Parse(relint.Out).Select(f => f.Rule).Where(claimed.Contains).ToHashSet();
        var problems = new List<string>();
        foreach (var rule in still)
            if (!judgements.Any(j => j.Rule == Judgement.FixPrefix + rule && j.Verdict == Judgement.FalseClaim))
                problems.Add($"fix says it fixed {rule} in {file} but the fixed file still shows it:\n{fix.Error}");
        foreach (var j in judgements.Where(j => j.Verdict == Judgement.FalseClaim && !still.Contains(j.Rule[Judgement.FixPrefix.Length..])))
            problems.Add($"fix claim now honest: delete {j}");
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    private static List<Finding> Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return [.. doc.RootElement.GetProperty("findings").EnumerateArray().Select(f =>
            new Finding(f.GetProperty("rule").GetString()!, f.GetProperty("line").GetInt32(), f.GetProperty("message").GetString()!))];
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9_.-]+$")]
    private static partial Regex OwnerName();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex Commit();

    [GeneratedRegex(@"fixed (VK\d+)")]
    private static partial Regex FixedRule();
}
