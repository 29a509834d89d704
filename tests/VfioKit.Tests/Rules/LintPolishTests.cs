using System.Text.Json;
using VfioKit.Tests.Cli;

namespace VfioKit.Tests.Rules;

/// <summary>Issue 13's polish: a JSON error object on exit 2, visible no-break spaces, and `help` that works outside the repository.</summary>
public class LintPolishTests : IDisposable
{
    private readonly TempDirectory _temp = new("vfiokit-polish-");

    public void Dispose() => _temp.Dispose();

    private string Write(string name, string text)
    {
        var path = _temp.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("--format", "json")]
    [InlineData("--json", null)]
    public void Json_output_on_bad_input_is_an_error_object_with_the_file_and_line(string option, string? value)
    {
        var path = Write("nb.sh", "qemu-system-x86_64 -machine q35 \\\n  -device\u00a0vfio-pci,host=0000:0b:00.0\n");
        var run = value is null ? CliRun.Of("lint", path, option) : CliRun.Of("lint", path, option, value);
        Assert.Equal(2, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Out);
        var error = doc.RootElement.GetProperty("error");
        Assert.Equal(2, error.GetProperty("exitCode").GetInt32());
        Assert.Equal("bad-input", error.GetProperty("kind").GetString());
        Assert.Equal(path, error.GetProperty("origin").GetString());
        Assert.Equal(2, error.GetProperty("line").GetInt32());
        Assert.Contains("-device<U+00A0>vfio-pci", error.GetProperty("message").GetString());
    }

    [Fact]
    public void A_parse_error_with_json_asked_is_an_error_object_too()
    {
        var run = CliRun.Of("lint", "--format", "json", "--fail-on", "sometimes", "x.sh");
        Assert.Equal(2, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Out);
        Assert.Contains("sometimes", doc.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public void Text_output_on_bad_input_prints_nothing_on_stdout_and_shows_the_no_break_space()
    {
        var path = Write("nb.sh", "qemu-system-x86_64 -machine q35 \\\n  -device\u00a0vfio-pci,host=0000:0b:00.0\n");
        var run = CliRun.Of("lint", path);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Contains("-device<U+00A0>vfio-pci", run.Error);
        Assert.DoesNotContain("\u00a0", run.Error);
    }

    [Fact]
    public void Help_is_the_explain_command_in_lint_json_rules_json_and_sarif()
    {
        var seed = TestPaths.DataFile("configs", "seed-ioh3420.sh");
        using (var lint = JsonDocument.Parse(CliRun.Of("lint", seed, "--format", "json").Out))
            Assert.All(lint.RootElement.GetProperty("findings").EnumerateArray(),
                f => Assert.Equal($"vfiokit explain {f.GetProperty("rule").GetString()}", f.GetProperty("help").GetString()));
        using (var rules = JsonDocument.Parse(CliRun.Of("rules", "--json").Out))
            Assert.All(rules.RootElement.GetProperty("rules").EnumerateArray(),
                r => Assert.Equal($"vfiokit explain {r.GetProperty("id").GetString()}", r.GetProperty("help").GetString()));
        using var sarif = JsonDocument.Parse(CliRun.Of("lint", seed, "--format", "sarif").Out);
        Assert.All(sarif.RootElement.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray(),
            r => Assert.Equal($"vfiokit explain {r.GetProperty("id").GetString()}", r.GetProperty("help").GetProperty("text").GetString()));
        // Each pointer works: explain prints the page.
        Assert.Equal(0, CliRun.Of("explain", "VK213").ExitCode);
    }
}
