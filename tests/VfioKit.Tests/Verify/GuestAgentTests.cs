using System.Text.Json;
using VfioKit.Tests.Cli;
using VfioKit.Verify;
using VfioKit.Verify.Agent;

namespace VfioKit.Tests.Verify;

/// <summary>verify through a real qemu-ga: guest-sync, guest-get-osinfo, guest-exec, guest-exec-status and its base64 output.</summary>
public sealed class GuestAgentTests
{
    private static async Task<T> WithAgent<T>(QemuGuestAgent qga, Func<GuestAgent, Task<T>> use, TimeSpan? deadline = null)
    {
        await using var channel = await GuestAgentSocket.ConnectAsync(qga.Socket, CancellationToken.None);
        return await use(new GuestAgent(channel) { Deadline = deadline ?? TimeSpan.FromSeconds(30) });
    }

    [Fact]
    public async Task Arguments_reach_the_program_as_an_array_with_no_shell_in_between()
    {
        using var qga = new QemuGuestAgent();
        var result = await WithAgent(qga, a => a.ExecAsync("/bin/echo", ["a  b", "$(id)", "'quoted'"], CancellationToken.None));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("a  b $(id) 'quoted'\n", result.Output);
    }

    [Fact]
    public async Task A_program_the_guest_does_not_have_is_the_agents_own_error()
    {
        using var qga = new QemuGuestAgent();
        var e = await Assert.ThrowsAsync<GuestAgentException>(() => WithAgent(qga, a => a.ExecAsync("/nonexistent/lspci", [], CancellationToken.None)));
        Assert.Contains("the guest agent refused", e.Message);
    }

    [Fact]
    public async Task A_program_that_outruns_the_deadline_is_reported_not_waited_for()
    {
        using var qga = new QemuGuestAgent();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<GuestAgentException>(() =>
            WithAgent(qga, a => a.ExecAsync("/bin/sleep", ["30"], CancellationToken.None), TimeSpan.FromSeconds(1)));
        Assert.Contains("did not finish in the guest within 1 s", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), clock.Elapsed.ToString());
    }

    [Fact]
    public async Task The_collector_is_a_fixed_sysfs_script_run_by_the_agent_and_reads_as_verify_inside_the_guest_reads()
    {
        using var qga = new QemuGuestAgent();
        var text = await WithAgent(qga, a => a.CollectAsync(CancellationToken.None));
        var guest = GuestReportReader.Parse(text, "qga");
        Assert.Equal(GuestSources.Sysfs, guest.Source);
        // What the agent's script printed, written back and read, is what verify run on this machine itself reads:
        // the same functions, PCIe types, links and ports above.
        var here = GuestSysfs.Read(new VfioKit.Files.SysfsRoot("/"));
        Assert.NotEmpty(here.Functions);
        Assert.Equal(here.Functions.Select(Describe), guest.Functions.Select(Describe));
    }

    private static string Describe(SeenFunction f) =>
        $"{f.Address} class {f.ClassCode:x6} {f.VendorId:x4}:{f.DeviceId:x4} type {f.ExpressType} caps {f.CapabilitiesRead} cap {f.LinkCapability} sta {f.LinkStatus} parent {f.Parent}";

    [Fact]
    public void The_linux_collector_is_one_argument_to_sh_and_needs_no_lspci()
    {
        var (path, arguments) = GuestAgent.LinuxCommand;
        Assert.Equal("/bin/sh", path);
        Assert.Equal(["-c", LinuxSysfsCollector.Script], arguments);
        Assert.DoesNotContain("lspci", LinuxSysfsCollector.Script);
    }

    [Fact]
    public void Verify_with_qga_checks_the_configuration_against_what_the_agent_collected()
    {
        using var qga = new QemuGuestAgent();
        using var dir = new TempDirectory("vfiokit-verify-");
        var run = CliRun.Of("verify", "--qga", qga.Socket, "--config", VerifyLab.VfioConfig(dir, "rootport-generic"), "--json");
        Assert.True(run.ExitCode == 1, run.Out + run.Error);
        using var doc = JsonDocument.Parse(run.Out);
        Assert.Equal("sysfs", doc.RootElement.GetProperty("source").GetString());
        // This machine (the agent's "guest") has no function at 01:00.0: the passed GPU is missing.
        var fn0 = doc.RootElement.GetProperty("functions").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "fn0");
        Assert.Equal("missing", fn0.GetProperty("verdict").GetString());
    }

    [Fact]
    public void No_agent_on_the_socket_exits_3_and_says_so()
    {
        using var dir = new TempDirectory("vfiokit-verify-");
        var run = CliRun.Of("verify", "--qga", dir.File("nothing.sock"));
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("cannot connect to the guest agent socket", run.Error);
    }
}
