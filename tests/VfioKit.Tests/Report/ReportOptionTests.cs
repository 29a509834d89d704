using VfioKit.Tests.Cli;

namespace VfioKit.Tests.Report;

/// <summary>`--report FILE.html` of host, guest-view and plan: the verb's usual output, plus the page report --output writes.</summary>
public sealed class ReportOptionTests
{
    private static readonly string Host = ReportMatrix.HostRoot("q35-gpu-iommu");
    private static readonly string Vm = TestPaths.DataFile("libvirt", "passthrough", "gpu-on-pcie0.xml");

    [Fact]
    public void Host_report_is_the_page_report_writes_for_the_same_host()
    {
        using var dir = new TempDirectory("vk-report-");
        var shortcut = dir.File("host.html");
        var host = CliRun.Of("host", "--root", Host, "--json", "--report", shortcut);
        Assert.Contains("\"gpus\"", host.Out);
        Assert.Contains("wrote " + shortcut, host.Error);
        var full = dir.File("full.html");
        CliRun.Of("report", "--host", Host, "-o", full);
        Assert.Equal(File.ReadAllText(full), File.ReadAllText(shortcut));
        // Written again: the first one is kept beside, as report --output does.
        CliRun.Of("host", "--root", Host, "--report", shortcut);
        Assert.True(File.Exists(shortcut + ".bak"));
    }

    [Fact]
    public void Plan_report_draws_the_plans_pinning()
    {
        using var dir = new TempDirectory("vk-report-");
        var page = dir.File("plan.html");
        var plan = CliRun.Of("plan", "--root", Host, "--vcpus", "2", "--json", "--report", page);
        Assert.Equal(0, plan.ExitCode);
        Assert.Contains("\"vcpus\"", plan.Out);
        var html = File.ReadAllText(page);
        Assert.Contains("id=\"vcpu-0\"", html);
        Assert.Contains("id=\"vcpu-1\"", html);
    }

    [Fact]
    public void Guest_view_report_draws_the_vm_on_this_host()
    {
        using var dir = new TempDirectory("vk-report-");
        var page = dir.File("vm.html");
        var view = CliRun.Of("guest-view", Vm, "--report", page);
        // The verb prints and exits as without --report; the page draws the VM's guest devices.
        var plain = CliRun.Of("guest-view", Vm);
        Assert.Equal(plain.ExitCode, view.ExitCode);
        Assert.Equal(plain.Out, view.Out);
        var html = File.ReadAllText(page);
        Assert.Contains("gpu-on-pcie0.xml", html);
        Assert.Contains("id=\"guest-0\"", html);
    }

    [Theory]
    [InlineData("host", "--root")]
    [InlineData("plan", "--root")]
    [InlineData("guest-view", null)]
    public void A_missing_directory_names_report_and_exits_2(string verb, string? root)
    {
        string[] args = root is null
            ? [verb, Vm, "--report", "/nonexistent-vk/r.html"]
            : [verb, root, Host, .. verb == "plan" ? new[] { "--vcpus", "2" } : [], "--report", "/nonexistent-vk/r.html"];
        var run = CliRun.Of(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--report", run.Error);
        Assert.Contains("/nonexistent-vk", run.Error);
    }
}
