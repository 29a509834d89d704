using VfioKit.Tests.Cli;
using VfioKit.Tests.Probe;

namespace VfioKit.Tests.Libvirt;

/// <summary>`lint DOMAIN --connect URI` and `lint --all --connect URI` through libvirt's test driver, as a user runs them.</summary>
public class LintConnectTests
{
    [Fact]
    public void Lint_all_domains_of_a_connection_reports_each_by_uri_and_name()
    {
        using var node = new TestDriverNode("win11", "linux-gpu");
        var run = CliRun.Of("lint", "--all", "--connect", node.Uri);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{node.Uri}/win11:", run.Out);
        Assert.Contains($"{node.Uri}/linux-gpu:", run.Out);
        Assert.Contains("warning VK102: hostdev0 (0000:0b:00.0) is on the root bus pcie.0", run.Out);
        Assert.Contains("2 files:", run.Out);
    }

    [Fact]
    public void A_domain_is_named_by_name_or_by_uuid()
    {
        using var node = new TestDriverNode("win11", "linux-gpu");
        using var c = VfioKit.Libvirt.LibvirtConnection.Open(node.Uri, readOnly: true);
        var uuid = c.Domain("win11").Uuid;
        var byName = CliRun.Of("lint", "win11", "--connect", node.Uri, "--format", "json");
        var byUuid = CliRun.Of("lint", uuid, "--connect", node.Uri, "--format", "json");
        Assert.Equal(1, byName.ExitCode);
        Assert.Equal(byName.Out, byUuid.Out);
        Assert.Contains($"\"file\": \"{node.Uri}/win11\"", byName.Out);
        Assert.DoesNotContain("linux-gpu", byName.Out);
    }

    [Fact]
    public void A_missing_domain_is_bad_input_and_an_unreachable_host_is_exit_3()
    {
        using var node = new TestDriverNode("win11");
        var missing = CliRun.Of("lint", "nope", "--connect", node.Uri);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains($"vfiokit: nope: no domain with this name or UUID on {node.Uri}", missing.Error);

        var unreachable = CliRun.Of("lint", "--all", "--connect", "qemu+tcp://127.0.0.1:1/system");
        Assert.Equal(3, unreachable.ExitCode);
        Assert.Contains("vfiokit: qemu+tcp://127.0.0.1:1/system: cannot connect: ", unreachable.Error);
    }

    [Theory]
    [InlineData("--all")]
    [InlineData("--live")]
    public void Libvirt_options_without_connect_are_bad_input(string option)
    {
        var run = CliRun.Of("lint", option);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("give --connect URI", run.Error);
    }

    [Fact]
    public void Without_connect_the_default_uri_is_libvirts_LIBVIRT_DEFAULT_URI_as_for_virsh()
    {
        using var node = new TestDriverNode("from-the-default");
        var cli = Path.Combine(AppContext.BaseDirectory, "vfiokit.dll");
        var run = ExternalTool.Run(Environment.ProcessPath!, [cli, "lint", "from-the-default", "--connect", ""],
            environment: new Dictionary<string, string> { ["LIBVIRT_DEFAULT_URI"] = node.Uri });
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{node.Uri}/from-the-default:", System.Text.Encoding.UTF8.GetString(run.Out));
    }
}
