using VfioKit.Host.Cpu;
using VfioKit.Run;
using Xunit;

namespace VfioKit.Tests.Run;

/// <summary>The host change engine against a lab snapshot with a kernel stand-in: a run and a restore leave the tree
/// byte for byte as it was, and so does every injected fault.</summary>
public sealed class RunEngineTests
{
    private static RunRequest Request(CpuList? cpus = null) =>
        QemuRunConfig.Read(File.ReadAllText(TestPaths.DataFile("run", "gpu-vm.sh")), "gpu-vm.sh", cpus ?? CpuList.Parse("2-3"));

    private static HostChangePlan Plan(KernelStandIn kernel, RunRequest? request = null) =>
        HostChangePlanner.Plan(kernel, request ?? Request(), CpuList.Parse(kernel.ReadText("sys/devices/system/cpu/online")!));

    private static string JournalOf(HostTree tree) => JournalFile.PathOf(tree.Root, "gpu-vm");

    private static void Apply(KernelStandIn kernel, HostTree tree, HostChangePlan plan, Func<bool>? stop = null) =>
        HostChanges.Apply(kernel, JournalOf(tree), Journal.Start(plan.Name, tree.Root, DateTimeOffset.UnixEpoch), plan.Steps, stop);

    [Fact]
    public void ConfigGivesFunctionsHugePagesAndArgv()
    {
        var request = Request();
        Assert.Equal("gpu-vm", request.Name);
        Assert.Equal(["0000:81:00.0", "0000:81:00.1"], request.Functions.Select(f => f.ToString()));
        Assert.Equal(new HugePageDemand(2048, 256), request.HugePages);
        Assert.Equal("qemu-system-x86_64", request.Argv[0]);
        Assert.Equal(["-display", "none"], request.Argv.Skip(request.Argv.Count - 2));
    }

    [Fact]
    public void RunBindsReservesIsolatesAndRestoreLeavesTreeByteForByte()
    {
        using var tree = new HostTree();
        var before = tree.Digest();
        var kernel = new KernelStandIn(tree.Root, tree.NativeDrivers);
        var plan = Plan(kernel);
        Assert.Equal(
        [
            "bind 0000:81:00.0 to vfio-pci (from virtio-pci)",
            "bind 0000:81:00.1 to vfio-pci (from snd_hda_intel)",
            "reserve 252 huge pages of 2048 KiB on node 1 (4 -> 256)",
            "keep init.scope on CPUs 0-1 (was inherited)",
            "keep system.slice on CPUs 0-1 (was inherited)",
            "keep user.slice on CPUs 0-1 (was inherited)",
            "make QEMU's own cgroup /sys/fs/cgroup/vfiokit-gpu-vm, outside the narrowed ones",
        ], plan.Steps.Select(s => s.Describe()));

        Apply(kernel, tree, plan);
        Assert.True(File.Exists(tree.PathOf("sys/fs/cgroup/vfiokit-gpu-vm/cgroup.procs")), "QEMU's cgroup is made before QEMU starts");
        Assert.Equal("vfio-pci", tree.DriverOf("0000:81:00.0"));
        Assert.Equal("vfio-pci", tree.DriverOf("0000:81:00.1"));
        Assert.Equal("vfio-pci\n", tree.Read("sys/bus/pci/devices/0000:81:00.0/driver_override"));
        Assert.Equal("256\n", tree.Read("sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages"));
        Assert.Equal("264\n", tree.Read("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"));
        Assert.Equal("0-1\n", tree.Read("sys/fs/cgroup/system.slice/cpuset.cpus"));
        var journal = JournalFile.Read(JournalOf(tree))!;
        Assert.All(journal.Entries, e => Assert.Equal(StepState.Applied, e.State));

        var result = HostChanges.Restore(kernel, JournalOf(tree));
        Assert.True(result.Complete, string.Join("; ", result.Failures));
        Assert.Equal(7, result.Undone.Count);
        Assert.Equal("virtio-pci", tree.DriverOf("0000:81:00.0"));
        AssertSame(before, tree);

        // Safe to run twice: nothing left, nothing written.
        var writes = kernel.Writes.Count;
        Assert.Empty(HostChanges.Restore(kernel, JournalOf(tree)).Undone);
        Assert.Equal(writes, kernel.Writes.Count);
    }

    [Theory]
    [InlineData(HostTree.Cgroups.V2)]
    [InlineData(HostTree.Cgroups.Systemd)]
    [InlineData(HostTree.Cgroups.V1)]
    public void DryRunWritesAreExactlyTheWritesOfARealRun(HostTree.Cgroups cgroups)
    {
        using var tree = new HostTree(cgroups: cgroups);
        var kernel = new KernelStandIn(tree.Root, tree.NativeDrivers);
        var plan = Plan(kernel);
        var dry = DryRun.Lines(plan, []);
        Apply(kernel, tree, plan);
        var applied = kernel.Writes.Select(w => w.ToString()).ToList();
        HostChanges.Restore(kernel, JournalOf(tree));
        var undone = kernel.Writes.Skip(applied.Count).Select(w => w.ToString()).ToList();
        Assert.Equal(plan.Steps.SelectMany(s => s.Apply()).Select(w => w.ToString()), applied);
        Assert.Equal(plan.Steps.Reverse().SelectMany(s => s.UndoAfterApply()).Select(w => w.ToString()), undone);
        // Every write, mkdir, rmdir and command shows in the dry run, in order.
        Assert.Equal(applied.Concat(undone), dry.Where(l => l.StartsWith("  ", StringComparison.Ordinal)).Select(l => l.Trim()));
        Assert.Contains("  write /sys/bus/pci/devices/0000:81:00.0/driver_override \"vfio-pci\"", dry);
        Assert.Contains("  write /sys/bus/pci/drivers/virtio-pci/unbind \"0000:81:00.0\"", dry);
        Assert.Contains("  write /sys/bus/pci/devices/0000:81:00.0/driver_override \"\\n\"", dry);
        Assert.Contains("  write /sys/bus/pci/drivers/virtio-pci/bind \"0000:81:00.0\"", dry);
    }

    /// <summary>Writes of a full run: 6 to bind two functions, 1 for huge pages, then per kind of host: 3 cpusets and
    /// a mkdir (v2 without systemd); 3 systemctl commands (systemd); 1 cpuset, a mkdir and the new cpuset's CPUs and
    /// memory nodes (v1).</summary>
    [Theory]
    [InlineData(HostTree.Cgroups.V2, 11)]
    [InlineData(HostTree.Cgroups.Systemd, 10)]
    [InlineData(HostTree.Cgroups.V1, 11)]
    public void AFaultAtEveryWriteIsUndoneByteForByte(HostTree.Cgroups cgroups, int writes)
    {
        int total;
        using (var clean = new HostTree(cgroups: cgroups))
        {
            var kernel = new KernelStandIn(clean.Root, clean.NativeDrivers);
            Apply(kernel, clean, Plan(kernel));
            total = kernel.Writes.Count;
        }
        Assert.Equal(writes, total);
        var survived = 0;
        for (var k = 0; k < total; k++)
        {
            using var tree = new HostTree(cgroups: cgroups);
            var before = tree.Digest();
            var kernel = new KernelStandIn(tree.Root, tree.NativeDrivers) { Fail = k };
            var e = Assert.Throws<HostChangeException>(() => Apply(kernel, tree, Plan(kernel)));
            Assert.Contains("(injected)", e.Message);
            Assert.EndsWith("everything done before it was undone", e.Message);
            AssertSame(before, tree);
            survived++;
        }
        Assert.Equal(total, survived);
    }

    [Theory]
    [InlineData("sys/bus/pci/devices/0000:81:00.1/driver_override")]
    [InlineData("sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages")]
    [InlineData("sys/fs/cgroup/user.slice/cpuset.cpus")]
    public void ADirectoryInPlaceOfAFileFailsTheWriteAndAllIsUndone(string file)
    {
        using var tree = new HostTree();
        var kernel = new KernelStandIn(tree.Root, tree.NativeDrivers);
        var plan = Plan(kernel);
        File.Delete(tree.PathOf(file));
        Directory.CreateDirectory(tree.PathOf(file));
        var before = tree.Digest();
        var e = Assert.Throws<HostChangeException>(() => Apply(kernel, tree, plan));
        Assert.Contains($"/{file}", e.Message);
        AssertSame(before, tree);
    }

    [Fact]
    public void FewerHugePagesThanAskedIsAFailureAndAllIsUndone()
    {
        using var tree = new HostTree();
        var before = tree.Digest();
        var kernel = new KernelStandIn(tree.Root, tree.NativeDrivers) { HugePageLimit = 100 };
        var e = Assert.Throws<HostChangeException>(() => Apply(kernel, tree, Plan(kernel)));
        Assert.Contains("the kernel granted 100 of 252 huge pages of 2048 KiB on node 1", e.Message);
        AssertSame(before, tree);
    }

    [Fact]
    public void AStopBetweenAnyTwoStepsUndoesAll()
    {
        for (var after = 0; after < 7; after++)
        {
            using var tree = new HostTree();
            var before = tree.Digest();
            var kernel = new KernelStandIn(tree.Root, tree.NativeDrivers);
            var checks = 0;
            var e = Assert.Throws<HostChangeException>(() => Apply(kernel, tree, Plan(kernel), () => checks++ == after));
            Assert.StartsWith("stopped by a signal", e.Message);
            AssertSame(before, tree);
        }
    }

    [Fact]
    public void APowerCutBeforeOrAfterAnyWriteIsRestoredFromTheJournal()
    {
        var images = 0;
        for (var k = 0; k < 11; k++)
            foreach (var afterWrite in new[] { false, true })
            {
                using var tree = new HostTree();
                var before = tree.Digest();
                var kernel = new KernelStandIn(tree.Root, tree.NativeDrivers);
                string? image = null;
                void Cut(int n) { if (n == k) image = tree.Image($"cut{k}{afterWrite}"); }
                if (afterWrite) kernel.After = Cut; else kernel.Before = Cut;
                Apply(kernel, tree, Plan(kernel));
                Assert.NotNull(image);
                Assert.True(File.Exists(JournalFile.PathOf(image, "gpu-vm")), "a journal is on disk before the first write");

                // The machine comes back: vfiokit restore against what the cut left.
                var rebooted = new KernelStandIn(image, tree.NativeDrivers);
                var result = HostChanges.Restore(rebooted, JournalFile.PathOf(image, "gpu-vm"));
                Assert.True(result.Complete, string.Join("; ", result.Failures));
                var after = HostTree.Digest(image);
                Assert.True(before == after, HostTree.Differences(before, after));
                images++;
            }
        Assert.Equal(22, images);
    }

    [Fact]
    public void AHostWithoutACpusetHierarchyIsRefusedBeforeAnythingChanges()
    {
        // The tree's cgroups as the run sees them, through its host files: cgroup v2 without cgroup.controllers is
        // no cpuset hierarchy at all, and a VM with CPUs of its own cannot be run there.
        using var tree = new HostTree(cgroups: HostTree.Cgroups.V2);
        File.Delete(Path.Combine(tree.Root, "sys/fs/cgroup/cgroup.controllers"));
        var before = tree.Digest();
        var kernel = new KernelStandIn(tree.Root, tree.NativeDrivers);
        Assert.Equal(CgroupManager.None, CgroupLayout.Detect(kernel).Manager);
        var refused = Assert.Throws<HostChangeException>(() => Plan(kernel));
        Assert.StartsWith("no cpuset hierarchy under /sys/fs/cgroup", refused.Message);
        Assert.Empty(kernel.Writes);
        AssertSame(before, tree);
    }

    [Fact]
    public void OnASystemdHostSlicesGetAllowedCpusThroughSystemctlAndQemuNoCgroupOfVfiokits()
    {
        using var tree = new HostTree(cgroups: HostTree.Cgroups.Systemd);
        var before = tree.Digest();
        var kernel = new KernelStandIn(tree.Root, tree.NativeDrivers);
        var plan = Plan(kernel);
        Assert.Equal(CgroupManager.Systemd, plan.Cgroups!.Manager);
        Assert.Equal(
        [
            "keep init.scope on CPUs 0-1 with systemd AllowedCPUs (was unset)",
            "keep system.slice on CPUs 0-1 with systemd AllowedCPUs (was unset)",
            "keep user.slice on CPUs 0-1 with systemd AllowedCPUs (was unset)",
        ], plan.Steps.Skip(3).Select(s => s.Describe()));
        Apply(kernel, tree, plan);
        Assert.Equal("0-1\n", tree.Read("sys/fs/cgroup/user.slice/cpuset.cpus"));
        Assert.True(HostChanges.Restore(kernel, JournalOf(tree)).Complete);
        Assert.Equal(
        [
            "systemctl set-property --runtime -- init.scope AllowedCPUs=0-1",
            "systemctl set-property --runtime -- system.slice AllowedCPUs=0-1",
            "systemctl set-property --runtime -- user.slice AllowedCPUs=0-1",
            "systemctl set-property --runtime -- user.slice AllowedCPUs=",
            "systemctl set-property --runtime -- system.slice AllowedCPUs=",
            "systemctl set-property --runtime -- init.scope AllowedCPUs=",
        ], kernel.Commands.Select(c => string.Join(' ', c)));
        AssertSame(before, tree);
    }

    [Fact]
    public void OnACgroupV1HostQemusCgroupGetsItsParentsCpusAndMemsAndTheOtherCpusetsAreNarrowed()
    {
        using var tree = new HostTree(cgroups: HostTree.Cgroups.V1);
        var before = tree.Digest();
        var kernel = new KernelStandIn(tree.Root, tree.NativeDrivers);
        var plan = Plan(kernel);
        Assert.Equal((CgroupManager.Cgroupfs, true), (plan.Cgroups!.Manager, plan.Cgroups.V1));
        Assert.Equal(
        [
            "keep cpuset/machine on CPUs 0-1 (was 0-3)",
            "make QEMU's own cgroup /sys/fs/cgroup/cpuset/vfiokit-gpu-vm, outside the narrowed ones",
        ], plan.Steps.Skip(3).Select(s => s.Describe()));
        Assert.Contains("tasks in the root cgroup /sys/fs/cgroup/cpuset itself are not kept off: a root cpuset always has every CPU", plan.Notes);
        Apply(kernel, tree, plan);
        Assert.Equal("0-3\n", tree.Read("sys/fs/cgroup/cpuset/vfiokit-gpu-vm/cpuset.cpus"));
        Assert.Equal("0-1\n", tree.Read("sys/fs/cgroup/cpuset/vfiokit-gpu-vm/cpuset.mems"));
        Assert.Equal("0-1\n", tree.Read("sys/fs/cgroup/cpuset/machine/cpuset.cpus"));
        Assert.True(HostChanges.Restore(kernel, JournalOf(tree)).Complete);
        AssertSame(before, tree);
    }

    [Fact]
    public void AQemuCgroupLeftOverFromEarlierIsRefusedBeforeAnythingChanges()
    {
        using var tree = new HostTree();
        Directory.CreateDirectory(tree.PathOf("sys/fs/cgroup/vfiokit-gpu-vm"));
        var kernel = new KernelStandIn(tree.Root, tree.NativeDrivers);
        var e = Assert.Throws<HostChangeException>(() => Plan(kernel));
        Assert.Contains("/sys/fs/cgroup/vfiokit-gpu-vm exists", e.Message);
        Assert.Empty(kernel.Writes);
    }

    private static void AssertSame(string before, HostTree tree)
    {
        var after = tree.Digest();
        Assert.True(before == after, "tree differs from its start:\n" + HostTree.Differences(before, after));
    }
}
