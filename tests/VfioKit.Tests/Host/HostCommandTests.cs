using VfioKit.Tests.Cli;

namespace VfioKit.Tests.Host;

public class HostCommandTests
{
    [Fact]
    public void A_root_that_is_not_a_directory_is_bad_input_naming_the_option()
    {
        var run = CliRun.Of("host", "--root", "/no/such/dir");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--root", run.Error);
        Assert.Contains("/no/such/dir", run.Error);
    }

    [Theory]
    [InlineData("host", "--root", "--json")]
    [InlineData("snapshot", "--output", "--root")]
    public void Help_names_the_options(string verb, string option1, string option2)
    {
        var run = CliRun.Of(verb, "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains(option1, run.Out);
        Assert.Contains(option2, run.Out);
    }

    [Fact]
    public void Snapshot_needs_an_output()
    {
        var run = CliRun.Of("snapshot");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--output", run.Error);
    }

    [Fact]
    public void The_people_output_shows_the_gpu_tree_and_the_checklist()
    {
        using var tree = new SysfsTree().ReadyKernel();
        tree.Add(new SysfsTree.Function("0000:05:00.0") { Vendor = 0x10de, Device = 0x2204, Class = 0x030000, Config = SysfsTree.RealConfig("05:00.0", 0x10de, 0x2204), Driver = "nvidia", Group = 4, ResetMethod = "bus", NumaNode = "0" });
        tree.Add(new SysfsTree.Function("0000:05:00.1") { Vendor = 0x10de, Device = 0x1aef, Class = 0x040300, Driver = "snd_hda_intel", Group = 4, ResetMethod = "bus" });
        var run = CliRun.Of("host", "--root", tree.Root);
        Assert.Contains("0000:05:00 ", run.Out);
        Assert.Contains("0000:05:00.1 HDMI audio", run.Out);
        Assert.Contains("no FLR", run.Out);
        Assert.Contains("NUMA 0", run.Out);
        Assert.Contains("Readiness", run.Out);
        Assert.Contains("pass  KVM", run.Out);
    }
}
