using System.Diagnostics;
using System.Net.Sockets;
using VfioKit.Host.Cpu;
using VfioKit.Runtime;
using VfioKit.Tests.Cli;

namespace VfioKit.Tests.Runtime;

/// <summary>pin against QMP servers that are slow, endless, malformed or not QEMU: a clear error within the
/// deadline, never a hang, a crash or a pinned stranger.</summary>
public sealed class HostileQmpTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private static readonly ProcTasks Live = new(new SysfsText("/"));

    private static (QmpException Error, TimeSpan Took) Refused(FakeQmpServer server, Action<QmpClient>? then = null)
    {
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<QmpException>(() =>
        {
            using var client = QmpClient.Connect(server.Path, Timeout);
            then?.Invoke(client);
        });
        return (e, clock.Elapsed);
    }

    [Fact]
    public void A_server_dripping_a_byte_every_2_s_is_given_up_at_the_deadline()
    {
        using var server = new FakeQmpServer((s, stop) =>
        {
            foreach (var b in FakeQmpServer.Greeting)
            {
                FakeQmpServer.Send(s, b.ToString());
                if (stop.WaitHandle.WaitOne(2000)) return;
            }
        });
        var (e, took) = Refused(server);
        Assert.Contains("no complete reply (greeting) within 3000 ms", e.Message);
        Assert.InRange(took.TotalSeconds, 2.5, 5);
    }

    [Fact]
    public void Endless_events_stop_after_1000()
    {
        using var server = new FakeQmpServer((s, stop) =>
        {
            FakeQmpServer.Send(s, FakeQmpServer.Greeting);
            FakeQmpServer.ReadCommand(s);
            while (!stop.IsCancellationRequested)
                FakeQmpServer.Send(s, """{"event": "RTC_CHANGE", "data": {"offset": 0}, "timestamp": {"seconds": 1, "microseconds": 2}}""" + "\n");
        });
        var (e, took) = Refused(server);
        Assert.Contains($"more than {QmpClient.MaxEventsSkipped} events and no reply to qmp_capabilities", e.Message);
        Assert.True(took < Timeout, $"took {took}");
    }

    [Fact]
    public void A_reply_without_newline_growing_forever_stops_at_4_MiB()
    {
        using var server = new FakeQmpServer((s, stop) =>
        {
            FakeQmpServer.Send(s, "{\"QMP\": \"");
            var block = new byte[64 * 1024];
            Array.Fill(block, (byte)'x');
            while (!stop.IsCancellationRequested) s.Send(block);
        });
        var (e, _) = Refused(server);
        Assert.Contains("a line longer than 4 MiB without a newline (greeting)", e.Message);
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;
        Assert.True(peak < 2L << 30, $"peak working set {peak >> 20} MiB");
    }

    [Theory]
    [InlineData("{\"QMP\": {\"version\": ", "is not a QMP socket: it sent")] // truncated JSON
    [InlineData("[1, 2, 3]", "has no \"QMP\" greeting")]
    [InlineData("\"QMP\"", "has no \"QMP\" greeting")]
    [InlineData("{\"QMP\": 1} trailing", "is not a QMP socket: it sent")]
    public void A_malformed_greeting_is_a_clear_error(string greeting, string expected)
    {
        using var server = new FakeQmpServer((s, _) => { FakeQmpServer.Send(s, greeting + "\n"); FakeQmpServer.ReadCommand(s); });
        Assert.Contains(expected, Refused(server).Error.Message);
    }

    [Theory]
    [InlineData("{\"return\": \"all of them\"}", "malformed reply to query-cpus-fast: a JSON String, not an array")]
    [InlineData("{\"return\": [1, 2]}", "malformed reply to query-cpus-fast: an entry is a JSON Number, not an object")]
    [InlineData("{\"return\": [{\"cpu-index\": \"zero\", \"thread-id\": 5}]}", "\"cpu-index\" is \"zero\", not a thread or CPU number")]
    [InlineData("{\"return\": [{\"cpu-index\": 0, \"thread-id\": 1e30}]}", "\"thread-id\" is 1e30, not a thread or CPU number")]
    [InlineData("{\"return\": [{\"cpu-index\": 0, \"thread-id\": -1}]}", "\"thread-id\" is -1, not a thread or CPU number")]
    [InlineData("{\"error\": 5}", "query-cpus-fast: 5")]
    [InlineData("{\"error\": {\"desc\": [\"x\"]}}", "query-cpus-fast: {")]
    [InlineData("{\"neither\": 1}", "unexpected reply to query-cpus-fast")]
    [InlineData("42", "malformed reply to query-cpus-fast: a JSON Number, not an object")]
    [InlineData("{\"return\": [{\"cpu-index\": 0, \"thread-id\": 1}]}", "belongs to process 1, not to process")]
    public void Malformed_or_lying_replies_are_clear_errors(string reply, string expected)
    {
        using var server = new FakeQmpServer(FakeQmpServer.Answering(_ => reply + "\n"));
        var (e, _) = Refused(server, client => QemuThreadFinder.FromQmp(client, Live, client.PeerPid));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void The_peer_is_the_process_at_the_other_end_and_pin_refuses_it_unless_it_is_qemu()
    {
        // In-process server: the peer is this test process, which pin refuses as itself, also in a dry run.
        using (var server = new FakeQmpServer(FakeQmpServer.Answering(_ => "{\"return\": []}\n")))
        {
            using (var client = QmpClient.Connect(server.Path, Timeout)) Assert.Equal(Environment.ProcessId, client.PeerPid);
        }
        using (var server = new FakeQmpServer(FakeQmpServer.Answering(_ => $"{{\"return\": [{{\"cpu-index\": 0, \"thread-id\": {Environment.ProcessId}}}]}}\n")))
        {
            var run = CliRun.Of("pin", "--qmp", server.Path, "--vcpus-from-host", "--dry-run");
            Assert.Equal(2, run.ExitCode);
            Assert.Contains($"process {Environment.ProcessId} is vfiokit itself", run.Error);
        }
        Assert.Equal("process 1 is init; vfiokit never pins it", PinTarget.Refusal(1, new SysfsText("/"), mustBeQemu: true));
        Assert.True(PinTarget.IsQemu("/usr/bin/qemu-system-x86_64 (deleted)"));
        Assert.True(PinTarget.IsQemu("/usr/libexec/qemu-kvm"));
        Assert.False(PinTarget.IsQemu("/usr/bin/python3.11"));
    }

    [Fact]
    public void A_python_qmp_server_naming_its_own_threads_is_not_pinned()
    {
        using var temp = new TempDirectory("vfiokit-pyqmp-");
        var sock = temp.File("qmp.sock");
        // A QMP look-alike that names its own (python3) thread as vCPU 0: the issue's re-pinned python3 process.
        var script = """
            import json, os, socket, sys
            s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1)
            print("ready", flush=True)
            while True:
                c, _ = s.accept(); f = c.makefile("rwb", buffering=0)
                f.write(b'{"QMP": {"version": {}, "capabilities": []}}\n')
                for line in f:
                    cmd = json.loads(line)["execute"]
                    r = [{"cpu-index": 0, "thread-id": os.getpid()}] if cmd == "query-cpus-fast" else ([] if cmd == "query-iothreads" else {})
                    f.write((json.dumps({"return": r}) + "\n").encode())
                c.close()
            """;
        var psi = new ProcessStartInfo("python3") { RedirectStandardOutput = true };
        foreach (var a in new[] { "-c", script.Replace("\n            ", "\n"), sock }) psi.ArgumentList.Add(a);
        using var python = Process.Start(psi)!;
        try
        {
            Assert.Equal("ready", python.StandardOutput.ReadLine());
            foreach (var dry in new[] { true, false })
            {
                var run = CliRun.Of(dry ? ["pin", "--qmp", sock, "--vcpus-from-host", "--dry-run"] : ["pin", "--qmp", sock, "--vcpus-from-host"]);
                Assert.Equal(2, run.ExitCode);
                Assert.Contains($"process {python.Id} at the other end of the socket runs ", run.Error);
                Assert.Contains("python3", run.Error);
                Assert.Contains("not QEMU", run.Error);
                Assert.Equal("", run.Out);
            }
        }
        finally
        {
            if (!python.HasExited) python.Kill();
        }
    }

    [Fact]
    public void Pid_1_and_vfiokits_own_pid_are_refused_even_in_a_dry_run()
    {
        var init = CliRun.Of("pin", "--pid", "1", "--vcpus-from-host", "--dry-run");
        Assert.Equal(2, init.ExitCode);
        Assert.Contains("--pid: process 1 is init; vfiokit never pins it", init.Error);
        var self = CliRun.Of("pin", "--pid", Environment.ProcessId.ToString(), "--vcpus-from-host", "--dry-run");
        Assert.Equal(2, self.ExitCode);
        Assert.Contains("is vfiokit itself", self.Error);
    }
}
