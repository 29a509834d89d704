namespace VfioKit.Tests.Cli;

public class CliAppTests
{
    [Fact]
    public void Unknown_verb_is_bad_input_with_exit_code_2()
    {
        var run = CliRun.Of("no-such-verb");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no-such-verb", run.Error);
    }

    [Fact]
    public void Help_lists_the_verbs()
    {
        var run = CliRun.Of("--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("version", run.Out);
    }
}
