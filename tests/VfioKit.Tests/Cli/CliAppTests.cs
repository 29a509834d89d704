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

    [Fact]
    public void Tables_written_to_a_pipe_do_not_wrap_pci_addresses()
    {
        // Spectre's width for a non-terminal is 80 columns, which split "0000:00:1c.0" over two lines.
        var root = TestPaths.DataFile("hosts", "q35-gpu-iommu");
        var json = CliRun.Of("host", "--root", root, "--json");
        var addresses = System.Text.RegularExpressions.Regex.Matches(json.Out, "\"address\": \"([0-9a-f:.]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(addresses);
        var table = CliRun.Of("host", "--root", root);
        Assert.All(addresses, a => Assert.Contains(a, table.Out));
    }
}
