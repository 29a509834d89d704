using VfioKit.Cli;
using VfioKit.Tests.Cli;

namespace VfioKit.Tests.Hostile;

/// <summary>The exit-70 guard: an exception no verb expected becomes exit 70 and a short report naming the verb
/// and its input; and on the real configurations of the corpora no verb that reads a config ever reaches it.</summary>
public class InternalErrorGuardTests
{
    [Fact]
    public void An_unexpected_exception_in_a_verb_is_exit_70_with_a_short_report_naming_the_input()
    {
        var parse = CliApp.Root(TextWriter.Null, TextWriter.Null).Parse(["lint", "/etc/vm/win11.xml"]);
        var error = new StringWriter();
        var code = CliApp.Guarded(parse, () => throw new InvalidOperationException("Sequence contains no elements\n   at deep.frame()"), error);
        Assert.Equal(70, code);
        Assert.Equal(ExitCodes.InternalError, code);
        var lines = error.ToString().TrimEnd().Split('\n');
        Assert.Contains("internal error in `lint` on /etc/vm/win11.xml: InvalidOperationException: Sequence contains no elements", lines[0]);
        Assert.True(lines.Length <= 2, $"a short report, not a stack dump:\n{error}");
        Assert.DoesNotContain("deep.frame", error.ToString());
    }

    [Fact]
    public void Bad_input_stays_exit_2_with_its_message()
    {
        var parse = CliApp.Root(TextWriter.Null, TextWriter.Null).Parse(["fix", "vm.xml"]);
        var error = new StringWriter();
        var code = CliApp.Guarded(parse, () => throw new Diagnostics.InputException("vm.xml", 3, null, "unclosed tag"), error);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("vm.xml:3", error.ToString());
    }

    public static TheoryData<string> Verbs => new() { "lint", "fix", "guest-view" };

    /// <summary>Every configuration of the corpora (libvirt XML, QEMU argv files and scripts, Proxmox) through every
    /// verb that reads one, in process: findings (1) and refusals (2) are fine, exit 70 never.</summary>
    [Theory]
    [MemberData(nameof(Verbs))]
    public void No_corpus_configuration_reaches_the_guard(string verb)
    {
        var files = new[] { "configs", "libvirt", "qemu", "guests", "hosts", "probe", "run" }
            .SelectMany(d => Directory.EnumerateFiles(TestPaths.DataFile(d), "*", FuzzTests.NoLinks))
            .Where(f => Path.GetExtension(f) is ".xml" or ".args" or ".sh" or ".conf")
            .Order(StringComparer.Ordinal).ToArray();
        Assert.True(files.Length > 50, $"{files.Length} corpus files");
        var reached = files.Select(f => (File: f, Run: CliRun.Of(verb, f))).Where(r => r.Run.ExitCode == 70)
            .Select(r => $"{r.File}: {r.Run.Error}").ToList();
        Assert.True(reached.Count == 0, $"`{verb}` reached the exit-70 guard on {reached.Count} of {files.Length}:\n{string.Join("\n", reached.Take(5))}");
    }
}
