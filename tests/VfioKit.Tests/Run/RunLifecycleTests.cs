using System.Globalization;
using VfioKit.Run;
using VfioKit.Tests.Cli;
using Xunit;

namespace VfioKit.Tests.Run;

/// <summary>
/// The real vfiokit process against a lab snapshot copy (--root) and a real QEMU (TCG; the config's vfio-pci
/// functions replaced by probe's stand-ins with --stand-ins): SIGKILL between steps and while QEMU runs, then
/// `vfiokit restore`; SIGTERM during the run (powerdown, quit, restore); vCPU pinning read back from /proc.
/// </summary>
public sealed class RunLifecycleTests
{
    private static string Config => TestPaths.DataFile("run", "gpu-vm.sh");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private const string HugePages = "sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages";
    private static readonly string[] StepFiles =
        [HugePages, "sys/fs/cgroup/init.scope/cpuset.cpus", "sys/fs/cgroup/system.slice/cpuset.cpus", "sys/fs/cgroup/user.slice/cpuset.cpus", QemuCgroup];

    /// <summary>The tree models cgroup v2 without systemd: QEMU gets a cgroup of its own beside the narrowed ones.</summary>
    private const string QemuCgroup = "sys/fs/cgroup/vfiokit-gpu-vm";

    /// <summary>The numa2-pxb host with the GPU's functions already on vfio-pci: the real CLI has no kernel stand-in,
    /// and a plain file written does not bind a driver, but it does hold a huge page count or a cpuset as sysfs
    /// and cgroupfs would. nr_hugepages holds "4" without the newline sysfs adds on reading, as a plain file
    /// keeps exactly what vfiokit writes back.</summary>
    private static HostTree Tree()
    {
        var tree = new HostTree(bindNative: false);
        foreach (var address in new[] { "0000:81:00.0", "0000:81:00.1" }) KernelStandIn.Link(tree.Root, address, "vfio-pci");
        File.WriteAllText(tree.PathOf(HugePages), "4");
        return tree;
    }

    private static string[] RunArgs(HostTree tree, params string[] more) =>
        ["run", Config, "--force", "--stand-ins", "--isolate", "1", "--root", tree.Root, .. more];

    private static void AssertSame(string before, string after) =>
        Assert.True(before == after, "tree differs from its start:\n" + HostTree.Differences(before, after));

    [Fact]
    public void SigkillOnceEachStepIsJournaledThenRestoreLeavesTheTreeByteForByte()
    {
        // vfiokit is SIGKILLed as soon as the journal names step k (k = 1..5), or later if the poll is slower than
        // the run: wherever it lands (between journal and write, after a write, after QEMU started), `restore
        // --stop` must bring the tree back byte for byte.
        var survived = 0;
        var landed = new List<string>();
        for (var k = 0; k < StepFiles.Length; k++)
        {
            using var tree = Tree();
            var before = tree.Digest();
            var journal = JournalFile.PathOf(tree.Root, "gpu-vm");
            Journal? seen = null;
            using (var run = VfiokitProcess.Start(RunArgs(tree, "--no-pin")))
            {
                var deadline = DateTime.UtcNow + Patience;
                while (true)
                {
                    try { seen = File.Exists(journal) ? JournalFile.Read(journal) : null; }
                    catch (IOException) { seen = null; }
                    if (seen is not null && seen.Entries.Count >= k + 1) break;
                    Assert.True(DateTime.UtcNow < deadline && !run.HasExited, $"step {k} never journaled; output:\n{run.Output}");
                    Thread.Sleep(1);
                }
                run.Signal("KILL");
                run.WaitForExit(Patience);
            }
            var left = JournalFile.Read(journal)!;
            landed.Add($"{left.Entries.Count(e => e.State == StepState.Applied)} applied{(left.Qemu is null ? "" : ", QEMU started")}");
            try
            {
                using var restore = VfiokitProcess.Start("restore", "--stop", "--powerdown-timeout", "1", "--root", tree.Root);
                Assert.Equal(0, restore.WaitForExit(Patience));
                Assert.Contains("gpu-vm: restored", restore.Output);
                AssertSame(before, tree.Digest());
                survived++;
            }
            finally
            {
                var q = left.Qemu ?? (left.QemuStarting is { } socket ? QemuProcess.FindByQmp(socket) : null);
                if (q is not null && q.IsRunning()) VfiokitProcess.Run("kill", "-KILL", q.Pid.ToString(CultureInfo.InvariantCulture));
            }
        }
        Assert.True(survived == StepFiles.Length, string.Join("; ", landed));
    }

    [Fact]
    public void SigtermPowersDownQuitsAndRestoresAfterPinningIsReadBackFromProc()
    {
        using var tree = Tree();
        var before = tree.Digest();
        // What the dry run says the run will write, mkdir and rmdir, in order (QEMU's pid is known only once it runs).
        var dry = CliRun.Of([.. RunArgs(tree, "--powerdown-timeout", "2"), "--dry-run"]);
        Assert.Equal(0, dry.ExitCode);
        var promised = dry.Out.Split('\n').Where(l => l.StartsWith("  ", StringComparison.Ordinal)).ToList();
        Assert.Contains("  mkdir /sys/fs/cgroup/vfiokit-gpu-vm", promised);
        using var run = VfiokitProcess.Start(RunArgs(tree, "--powerdown-timeout", "2"));
        var started = run.WaitFor(l => l.StartsWith("started ", StringComparison.Ordinal), Patience);
        var pid = QemuPid(started);
        run.WaitFor(l => l.StartsWith("QMP ready at ", StringComparison.Ordinal), Patience);
        run.WaitFor(l => l.StartsWith("pinned thread ", StringComparison.Ordinal) && l.Contains("CPU 1/", StringComparison.Ordinal), Patience);

        // What a user checks: every vCPU thread of the real QEMU may run on CPU 1 only.
        var vcpus = VcpuAffinity(pid);
        Assert.Equal(2, vcpus.Count);
        Assert.All(vcpus, v => Assert.Equal("1", v.Allowed));
        // Host tasks are kept off it, in the tree.
        Assert.Equal("0,2-3", tree.Read("sys/fs/cgroup/system.slice/cpuset.cpus"));
        // QEMU was put in its own cgroup, outside the narrowed ones, before pinning.
        Assert.Equal(pid.ToString(CultureInfo.InvariantCulture), tree.Read($"{QemuCgroup}/cgroup.procs"));
        Assert.Equal("256", tree.Read(HugePages));

        run.Signal("TERM");
        Assert.Equal(0, run.WaitForExit(Patience));
        var output = run.Output;
        Assert.Contains("asking QEMU to power the guest down (QMP system_powerdown)", output);
        // The stand-in guest boots no OS, so nothing handles the ACPI button: quit after the timeout.
        Assert.Contains("QEMU is still running after 2 s", output);
        Assert.Contains("QEMU quit", output);
        Assert.Contains("host restored (5 steps undone)", output);
        Assert.False(Directory.Exists($"/proc/{pid}/task"), $"QEMU {pid} still runs");
        AssertSame(before, tree.Digest());
        // Step by step, the real run made exactly the changes its dry run printed.
        var made = run.Lines.Where(l => l.StartsWith("  ", StringComparison.Ordinal)).ToList();
        Assert.Equal(promised.Select(l => l.Replace("\"QEMU's pid\"", $"\"{pid}\"", StringComparison.Ordinal)), made);
    }

    [Fact]
    public void SigkillWhileQemuRunsThenRestoreRefusesUntilStopThenLeavesTheTreeByteForByte()
    {
        using var tree = Tree();
        var before = tree.Digest();
        int pid;
        string during;
        using (var run = VfiokitProcess.Start(RunArgs(tree, "--no-pin")))
        {
            pid = QemuPid(run.WaitFor(l => l.StartsWith("started ", StringComparison.Ordinal), Patience));
            run.WaitFor(l => l.StartsWith("QMP ready at ", StringComparison.Ordinal), Patience);
            run.Signal("KILL");
            run.WaitForExit(Patience);
            during = tree.Digest();
        }
        try
        {
            Assert.True(Directory.Exists($"/proc/{pid}/task"), "QEMU outlives a SIGKILLed vfiokit");
            var refused = CliRun.Of("restore", "gpu-vm", "--root", tree.Root);
            Assert.Equal(4, refused.ExitCode);
            Assert.Contains($"its QEMU (pid {pid}) still runs and holds the devices", refused.Error);
            Assert.Equal(during, tree.Digest());

            var stopped = CliRun.Of("restore", "gpu-vm", "--stop", "--powerdown-timeout", "1", "--root", tree.Root);
            Assert.True(stopped.ExitCode == 0, stopped.Out + stopped.Error);
            Assert.Contains("gpu-vm: QEMU (pid " + pid + ") quit", stopped.Out);
            Assert.Contains("gpu-vm: restored", stopped.Out);
            Assert.False(new QemuProcess(pid, QemuProcess.StartTimeOf(pid) ?? -1, "").IsRunning(), $"QEMU {pid} still runs");
            AssertSame(before, tree.Digest());
        }
        finally
        {
            if (Directory.Exists($"/proc/{pid}/task")) VfiokitProcess.Run("kill", "-KILL", pid.ToString(CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void A_qemu_started_but_not_yet_journaled_is_found_by_its_qmp_socket_and_stopped_by_restore()
    {
        // The instant between starting QEMU and journaling its pid: the journal names only the socket. A QEMU with
        // that very -qmp argument is the run's; restore refuses under it, and --stop stops it.
        using var tree = Tree();
        var socket = QemuLaunch.SocketOf(tree.Root, "gpu-vm");
        Directory.CreateDirectory(Path.GetDirectoryName(socket)!);
        JournalFile.Write(JournalFile.PathOf(tree.Root, "gpu-vm"),
            Journal.Start("gpu-vm", tree.Root, DateTimeOffset.UtcNow) with { QemuStarting = socket });
        using var qemu = VfioKit.Processes.ExternalProgram.Start("qemu-system-x86_64",
            ["-machine", "none", "-display", "none", "-monitor", "none", "-serial", "none", "-qmp", QemuLaunch.QmpArgument(socket)]);
        try
        {
            var deadline = DateTime.UtcNow + Patience;
            while (!File.Exists(socket) && DateTime.UtcNow < deadline && !qemu.HasExited) Thread.Sleep(20);
            Assert.Equal(qemu.Id, QemuProcess.FindByQmp(socket)?.Pid);
            Assert.Null(QemuProcess.FindByQmp(socket + ".other"));

            var refused = CliRun.Of("restore", "gpu-vm", "--root", tree.Root);
            Assert.Equal(4, refused.ExitCode);
            Assert.Contains($"its QEMU (pid {qemu.Id}) still runs and holds the devices", refused.Error);

            var stopped = CliRun.Of("restore", "gpu-vm", "--stop", "--powerdown-timeout", "1", "--root", tree.Root);
            Assert.True(stopped.ExitCode == 0, stopped.Out + stopped.Error);
            Assert.Contains($"gpu-vm: QEMU (pid {qemu.Id}) quit", stopped.Out);
            Assert.True(qemu.WaitForExit(10_000), "QEMU still runs after restore --stop");
            Assert.False(File.Exists(JournalFile.PathOf(tree.Root, "gpu-vm")), "the journal outlived a complete restore");
        }
        finally
        {
            if (!qemu.HasExited) qemu.Kill();
        }
    }

    [Fact]
    public void QemuThatExitsAtOnceIsReportedAndEveryChangeIsUndone()
    {
        // A CPU topology QEMU refuses (3 sockets for 2 CPUs; --stand-ins keeps the config's -smp): it exits
        // before its QMP socket answers.
        using var dir = new TempDirectory("vfiokit-run-");
        var config = dir.File("gpu-vm.sh");
        File.WriteAllText(config, File.ReadAllText(Config).Replace("-smp 2 ", "-smp 2,sockets=3,cores=1,threads=1 ", StringComparison.Ordinal));
        using var tree = Tree();
        var before = tree.Digest();
        using var run = VfiokitProcess.Start("run", config, "--force", "--stand-ins", "--isolate", "1", "--no-pin", "--root", tree.Root);
        Assert.Equal(3, run.WaitForExit(Patience));
        var output = run.Output;
        Assert.Contains("before its QMP socket answered", output);
        Assert.Contains("Invalid CPU topology", output);
        Assert.Contains("host restored (5 steps undone)", output);
        Assert.False(File.Exists(JournalFile.PathOf(tree.Root, "gpu-vm")), "the journal outlived a complete restore");
        AssertSame(before, tree.Digest());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void QemuThatNeverAnswersQmpIsStoppedAfterTheTimeoutAndEveryChangeIsUndone()
    {
        // A "qemu-system-x86_64" first on PATH that never opens its monitor: a QEMU hung before QMP answers.
        // (Stopping a real QEMU after it started races with its monitor, which answers within milliseconds.)
        using var tools = new TempDirectory("vfiokit-hung-qemu-");
        var hung = tools.File("qemu-system-x86_64");
        File.WriteAllText(hung, "#!/bin/sh\nexec sleep 600\n");
        File.SetUnixFileMode(hung, (UnixFileMode)0b111_101_101);
        using var tree = Tree();
        var before = tree.Digest();
        var path = tools.Path + ":" + Environment.GetEnvironmentVariable("PATH");
        using var run = VfiokitProcess.Start(new Dictionary<string, string> { ["PATH"] = path },
            RunArgs(tree, "--qmp-timeout", "3", "--powerdown-timeout", "1"));
        var pid = QemuPid(run.WaitFor(l => l.StartsWith("started ", StringComparison.Ordinal), Patience));
        try
        {
            Assert.Equal(4, run.WaitForExit(Patience));
            var output = run.Output;
            Assert.Contains("did not answer within 3 s", output);
            Assert.Contains("stopping QEMU: it could not be set up", output);
            Assert.Contains("host restored (5 steps undone)", output);
            Assert.False(Directory.Exists($"/proc/{pid}/task") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal),
                $"the hung QEMU {pid} still runs");
            Assert.False(File.Exists(JournalFile.PathOf(tree.Root, "gpu-vm")), "the journal outlived a complete restore");
            AssertSame(before, tree.Digest());
        }
        finally
        {
            if (Directory.Exists($"/proc/{pid}/task")) VfiokitProcess.Run("kill", "-KILL", pid.ToString(CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void QmpTimeoutMustBePositive()
    {
        using var tree = Tree();
        var run = CliRun.Of([.. RunArgs(tree), "--qmp-timeout", "0"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--qmp-timeout", run.Error);
    }

    [Fact]
    public void HugePagesThatCannotBeReservedOnTheGpuNodeFailPreflightAndChangeNothing()
    {
        // The snapshot's node 1 has 419 MiB free: 512 MiB of 2 MiB pages cannot be had there.
        using var tree = new HostTree(nodeFreeMiB: null);
        var before = tree.Digest();
        var run = CliRun.Of("run", Config, "--force", "--root", tree.Root);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("QEMU needs 256 huge pages of 2048 KiB on NUMA node 1 (the GPU's): 4 are free and 419 MiB of free memory makes at most 209 more, 43 short", run.Error);
        Assert.Contains("nothing was changed", run.Error);
        AssertSame(before, tree.Digest());

        // The same host with enough free memory passes (dry run: the reservation is planned).
        using var roomy = new HostTree();
        var dry = CliRun.Of("run", Config, "--force", "--dry-run", "--root", roomy.Root);
        Assert.Equal(0, dry.ExitCode);
        Assert.Contains("reserve 252 huge pages of 2048 KiB on node 1 (4 -> 256)", dry.Out);
    }

    [Fact]
    public void DryRunShowsTheQmpSocketAndThePinning()
    {
        using var tree = Tree();
        var dry = CliRun.Of([.. RunArgs(tree), "--dry-run"]);
        Assert.Equal(0, dry.ExitCode);
        var socket = QemuLaunch.SocketOf(tree.Root, "gpu-vm");
        Assert.Contains($"-qmp unix:{socket},server=on,wait=off", dry.Out);
        Assert.Contains("-device qemu-xhci", dry.Out);
        Assert.DoesNotContain("vfio-pci,host", dry.Out);
        Assert.Contains("once QMP answers: pin vCPU n to the n-th of CPUs 1 (round robin), read back from /proc", dry.Out);
    }

    private static int QemuPid(string started) =>
        int.Parse(started[(started.IndexOf("(pid ", StringComparison.Ordinal) + 5)..started.IndexOf(')', StringComparison.Ordinal)], CultureInfo.InvariantCulture);

    /// <summary>Each vCPU thread (named "CPU n/TCG" or "CPU n/KVM" with debug-threads=on) and its Cpus_allowed_list.</summary>
    private static List<(string Name, string Allowed)> VcpuAffinity(int pid)
    {
        var result = new List<(string, string)>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            var comm = File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
            if (!comm.StartsWith("CPU ", StringComparison.Ordinal)) continue;
            var allowed = File.ReadAllLines(Path.Combine(task, "status")).First(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal));
            result.Add((comm, allowed["Cpus_allowed_list:".Length..].Trim()));
        }
        return result;
    }
}
