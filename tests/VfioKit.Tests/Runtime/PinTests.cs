using System.Net.Sockets;
using System.Text.Json;
using VfioKit.Diagnostics;
using VfioKit.Host.Cpu;
using VfioKit.Runtime;
using VfioKit.Tests.Cli;

namespace VfioKit.Tests.Runtime;

/// <summary>`vfiokit pin` against a real QEMU process; every result is checked in /proc, not in vfiokit's output.</summary>
[Collection("planned-qemu")]
public sealed class PinTests(PlannedQemu qemu)
{
    private static readonly SysfsText Live = new("/");

    [Fact]
    public void Qemu_accepted_the_plans_topology_and_node_bound_memory()
    {
        Assert.Contains("-smp", qemu.PlanArgs);
        using var qmp = QmpClient.Connect(qemu.QmpSocket, TimeSpan.FromSeconds(3));
        Assert.Equal(2, qmp.Execute("query-cpus-fast").GetArrayLength());
        var memdev = qmp.Execute("query-memdev").EnumerateArray().Single();
        Assert.Equal("bind", memdev.GetProperty("policy").GetString());
        Assert.Equal([0], memdev.GetProperty("host-nodes").EnumerateArray().Select(n => n.GetInt32()));
        Assert.Equal(128L << 20, memdev.GetProperty("size").GetInt64());
    }

    [Fact]
    public void Threads_found_by_qmp_and_by_name_are_the_same()
    {
        var names = qemu.ThreadsByName();
        using var qmp = QmpClient.Connect(qemu.QmpSocket, TimeSpan.FromSeconds(3));
        var byQmp = QemuThreadFinder.FromQmp(qmp, new ProcTasks(Live), qmp.PeerPid);
        var byName = QemuThreadFinder.FromNames(qemu.Pid, new ProcTasks(Live));

        Assert.Equal(qemu.Pid, byQmp.Pid);
        Assert.Equal([names["CPU 0/TCG"], names["CPU 1/TCG"]], byQmp.Vcpus.Select(t => t.ThreadId));
        Assert.Equal(byQmp.Vcpus.Select(t => (t.Vcpu, t.ThreadId)), byName.Vcpus.Select(t => (t.Vcpu, t.ThreadId)));
        Assert.Equal(names["IO iothread1"], byQmp.Threads.Single(t => t.Role == ThreadRole.IoThread).ThreadId);
        Assert.Equal(names["IO iothread1"], byName.Threads.Single(t => t.Role == ThreadRole.IoThread).ThreadId);
        Assert.Contains(byQmp.Threads, t => t.Role == ThreadRole.Emulator && t.ThreadId == qemu.Pid);
    }

    [Fact]
    public void Pin_by_qmp_then_by_pid_sets_every_thread_as_planned()
    {
        var plan = qemu.PlanFile("""
            {"vcpus":[{"vcpu":0,"hostCpu":1},{"vcpu":1,"hostCpu":0}],"emulatorCpus":[0],"iothreadCpus":[1],"memoryNodes":[0]}
            """);
        var run = CliRun.Of("pin", "--qmp", qemu.QmpSocket, "--plan", plan, "--json");
        Assert.True(run.ExitCode == 0, run.Error + run.Out);
        var t = qemu.ThreadsByName();
        Assert.Equal("1", qemu.Mask(t["CPU 0/TCG"]));
        Assert.Equal("0", qemu.Mask(t["CPU 1/TCG"]));
        Assert.Equal("1", qemu.Mask(t["IO iothread1"]));
        Assert.Equal("0", qemu.Mask(qemu.Pid));
        Assert.All(qemu.Masks().Where(m => m.Key != t["CPU 0/TCG"] && m.Key != t["IO iothread1"]), m => Assert.Equal("0", m.Value));
        using (var doc = JsonDocument.Parse(run.Out))
        {
            Assert.Equal("qmp", doc.RootElement.GetProperty("source").GetString());
            Assert.All(doc.RootElement.GetProperty("threads").EnumerateArray(), th => Assert.True(th.GetProperty("matches").GetBoolean()));
            // The kernel's numa_maps: the preallocated 128 MiB are on node 0, as planned.
            var nodes = doc.RootElement.GetProperty("memory").GetProperty("nodes").EnumerateArray().ToArray();
            Assert.True(nodes.Single(n => n.GetProperty("node").GetInt32() == 0).GetProperty("bytes").GetInt64() >= 128L << 20);
            Assert.Equal(0, doc.RootElement.GetProperty("memory").GetProperty("offNodeBytes").GetInt64());
        }

        var swapped = qemu.PlanFile("""
            {"vcpus":[{"vcpu":0,"hostCpu":0},{"vcpu":1,"hostCpu":1}],"emulatorCpus":[1],"iothreadCpus":[],"memoryNodes":[0]}
            """);
        var byPid = CliRun.Of("pin", "--pid", qemu.Pid.ToString(), "--plan", swapped);
        Assert.True(byPid.ExitCode == 0, byPid.Error + byPid.Out);
        Assert.Contains("thread-names", byPid.Out);
        Assert.Equal("0", qemu.Mask(t["CPU 0/TCG"]));
        Assert.Equal("1", qemu.Mask(t["CPU 1/TCG"]));
        Assert.Equal("1", qemu.Mask(t["IO iothread1"]));
        Assert.Equal("1", qemu.Mask(qemu.Pid));
    }

    [Fact]
    public void Dry_run_prints_the_changes_and_makes_none()
    {
        var before = qemu.Masks();
        var plan = qemu.PlanFile("""{"vcpus":[{"vcpu":0,"hostCpu":1},{"vcpu":1,"hostCpu":1}],"emulatorCpus":[0,1]}""");
        var run = CliRun.Of("pin", "--pid", qemu.Pid.ToString(), "--plan", plan, "--dry-run");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Dry run", run.Out);
        Assert.Contains("CPU 1/TCG", run.Out);
        Assert.Equal(before, qemu.Masks());
    }

    [Theory]
    [InlineData("""{"vcpus":[{"vcpu":0,"hostCpu":7}],"emulatorCpus":[0]}""", "CPU(s) 7 do not exist")]
    [InlineData("""{"vcpus":[{"vcpu":5,"hostCpu":1}],"emulatorCpus":[0]}""", "vCPU(s) 5 are in the plan")]
    [InlineData("""{"vcpus":[{"vcpu":0,"hostCpu":1}""", "not a vfiokit plan")]
    [InlineData("""{"cpus":[]}""", "no \"vcpus\"")]
    public void A_bad_plan_is_a_clear_error_and_changes_no_thread(string json, string message)
    {
        var before = qemu.Masks();
        var run = CliRun.Of("pin", "--qmp", qemu.QmpSocket, "--plan", qemu.PlanFile(json));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error);
        Assert.Equal(before, qemu.Masks());
    }

    [Fact]
    public void Cpus_outside_the_allowed_set_are_refused_before_any_change()
    {
        var before = qemu.Masks();
        var threads = QemuThreadFinder.FromNames(qemu.Pid, new ProcTasks(Live));
        var plan = new PinPlan([new(0, 0), new(1, 1)], CpuList.Of(0), CpuList.Empty, [0]);
        var e = Assert.Throws<InputException>(() =>
            ThreadPinning.Prepare(threads, plan, CpuList.Of(0, 1), allowed: CpuList.Of(0), _ => CpuList.Of(0, 1), []));
        Assert.Contains("not allowed", e.Message);
        Assert.Equal(before, qemu.Masks());
    }

    [Fact]
    public async Task Unknown_pid_and_a_socket_that_is_not_qmp_are_clear_errors()
    {
        var before = qemu.Masks();
        var plan = qemu.PlanFile("""{"vcpus":[{"vcpu":0,"hostCpu":1}],"emulatorCpus":[0]}""");

        var noPid = CliRun.Of("pin", "--pid", "999999999", "--plan", plan);
        Assert.Equal(2, noPid.ExitCode);
        Assert.Contains("--pid: no process 999999999", noPid.Error);

        // A unix socket that greets with something other than QMP.
        var path = Path.Combine(qemu.Dir, "not-qmp.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        var server = Task.Run(() =>
        {
            using var peer = listener.Accept();
            peer.Send("SSH-2.0-OpenSSH_9.2\r\n"u8.ToArray());
            Thread.Sleep(500);
        });
        var notQmp = CliRun.Of("pin", "--qmp", path, "--plan", plan);
        await server.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, notQmp.ExitCode);
        Assert.Contains("is not a QMP socket", notQmp.Error);

        var absent = CliRun.Of("pin", "--qmp", Path.Combine(qemu.Dir, "absent.sock"), "--plan", plan);
        Assert.Equal(2, absent.ExitCode);
        Assert.Contains("cannot connect", absent.Error);
        Assert.Equal(before, qemu.Masks());
    }

    [Fact]
    public void Pid_of_a_process_without_thread_names_says_how_to_get_them()
    {
        // Not vfiokit's own process (refused outright): a sleep, whose one thread has no QEMU name.
        using var sleep = System.Diagnostics.Process.Start("sleep", "30");
        try
        {
            var run = CliRun.Of("pin", "--pid", sleep.Id.ToString(), "--vcpus-from-host", "--dry-run");
            Assert.Equal(2, run.ExitCode);
            Assert.Contains("debug-threads=on", run.Error);
        }
        finally { sleep.Kill(); }
    }

    [Fact]
    public void A_failure_half_way_restores_the_threads_already_changed()
    {
        var t = qemu.ThreadsByName();
        var affinity = new ThreadAffinity(CpuTopologyReader.Read("/").Possible);
        var vcpu0 = t["CPU 0/TCG"];
        var vcpu1 = t["CPU 1/TCG"];
        affinity.Set(vcpu0, CpuList.Of(0, 1));
        var before0 = qemu.Mask(vcpu0);
        var threads = QemuThreadFinder.FromNames(qemu.Pid, new ProcTasks(Live));
        // The second change names CPU 5, which this host does not have online: the kernel refuses it (EINVAL).
        var actions = new[]
        {
            new PinAction(threads.Threads.Single(x => x.ThreadId == vcpu0), CpuList.Of(0, 1), CpuList.Of(1)),
            new PinAction(threads.Threads.Single(x => x.ThreadId == vcpu1), CpuList.Parse(qemu.Mask(vcpu1)), CpuList.Of(5)),
        };
        var e = Assert.Throws<PinFailedException>(() =>
            ThreadPinning.Apply(qemu.Pid, actions, CpuList.Empty, affinity, new ProcTasks(Live), []));
        Assert.Equal([vcpu0], e.RestoredThreads);
        Assert.Equal(before0, qemu.Mask(vcpu0));
    }
}
