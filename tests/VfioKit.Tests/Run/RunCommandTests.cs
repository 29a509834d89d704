using System.Diagnostics;
using VfioKit.Formats.Libvirt;
using VfioKit.Host.Cpu;
using VfioKit.Run;
using VfioKit.Tests.Cli;
using Xunit;

namespace VfioKit.Tests.Run;

/// <summary>`vfiokit run`, `restore` and `hook` as a user calls them, against a lab snapshot copy (--root).</summary>
public sealed class RunCommandTests
{
    private static string Config => TestPaths.DataFile("run", "gpu-vm.sh");

    [Fact]
    public void DryRunRefusesTheBootGpuWithoutForceAndChangesNothing()
    {
        using var tree = new HostTree();
        var before = tree.Digest();
        var refused = CliRun.Of("run", Config, "--dry-run", "--root", tree.Root);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("0000:81:00.0 is the boot GPU (boot_vga=1)", refused.Error);
        Assert.Contains("nothing was changed", refused.Error);

        var dry = CliRun.Of("run", Config, "--dry-run", "--force", "--isolate", "2-3", "--root", tree.Root);
        Assert.Equal(0, dry.ExitCode);
        var lines = dry.Out.Split('\n');
        Assert.Contains("1. bind 0000:81:00.0 to vfio-pci (from virtio-pci)", lines);
        Assert.Contains("  write /sys/bus/pci/drivers_probe \"0000:81:00.0\"", lines);
        Assert.Contains("  write /sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages \"256\"", lines);
        Assert.Contains("  write /sys/fs/cgroup/system.slice/cpuset.cpus \"0-1\"", lines);
        Assert.Contains(lines, l => l.StartsWith("start: qemu-system-x86_64 -name gpu-vm,debug-threads=on -M q35", StringComparison.Ordinal));
        // No systemd in this tree: vfiokit makes QEMU's cgroup and puts QEMU in it once it runs.
        Assert.Contains("cgroups: cgroupfs, v2 cpuset hierarchy at /sys/fs/cgroup (no /run/systemd/system: systemd is not PID 1): vfiokit writes the cpusets and makes QEMU's cgroup", lines);
        Assert.Contains("  mkdir /sys/fs/cgroup/vfiokit-gpu-vm", lines);
        Assert.Equal(lines.ToList().FindIndex(l => l.StartsWith("start: ", StringComparison.Ordinal)) + 1,
            lines.ToList().IndexOf("  write /sys/fs/cgroup/vfiokit-gpu-vm/cgroup.procs \"QEMU's pid\""));
        Assert.Contains("  rmdir /sys/fs/cgroup/vfiokit-gpu-vm", lines);
        Assert.Equal(before, tree.Digest());
    }

    [Fact]
    public void OnASystemdHostTheDryRunStartsQemuInAScopeAndSetsAllowedCpusAndARealRunUnderRootIsRefused()
    {
        using var tree = new HostTree(cgroups: HostTree.Cgroups.Systemd);
        var before = tree.Digest();
        var dry = CliRun.Of("run", Config, "--dry-run", "--force", "--isolate", "2-3", "--root", tree.Root);
        Assert.Equal(0, dry.ExitCode);
        var lines = dry.Out.Split('\n');
        Assert.Contains("cgroups: systemd (/run/systemd/system exists, cgroup v2): AllowedCPUs set with systemctl, QEMU in a scope of its own under machine.slice", lines);
        Assert.Contains("4. keep init.scope on CPUs 0-1 with systemd AllowedCPUs (was unset)", lines);
        Assert.Contains("  run systemctl set-property --runtime -- user.slice AllowedCPUs=0-1", lines);
        Assert.Contains("  run systemctl set-property --runtime -- user.slice AllowedCPUs=", lines);
        Assert.Contains(lines, l => l.StartsWith("start: systemd-run --scope --slice=machine.slice --unit=vfiokit-gpu-vm.scope --collect --quiet -- qemu-system-x86_64 -name gpu-vm,debug-threads=on", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("mkdir", StringComparison.Ordinal) || l.Contains("cgroup.procs", StringComparison.Ordinal));

        // systemctl and systemd-run cannot run against a tree: a real run under --root is refused, nothing changed.
        var real = CliRun.Of("run", Config, "--force", "--isolate", "2-3", "--root", tree.Root);
        Assert.Equal(2, real.ExitCode);
        Assert.Contains("models a host run by systemd", real.Error);
        Assert.Equal(before, tree.Digest());
    }

    [Fact]
    public void AScopeUnitNameEscapesWhatAUnitNameMayNotHold() =>
        Assert.Equal(@"vfiokit-win11\x2bgpu_1.2.scope", CgroupLayout.ScopeUnit("win11+gpu_1.2"));

    [Fact]
    public void RestoreWithNothingToRestoreSaysSoAndExitsZero()
    {
        using var tree = new HostTree();
        var run = CliRun.Of("restore", "--root", tree.Root);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("nothing to restore", run.Out.Trim());
    }

    [Fact]
    public void RestoreReplaysAJournalLeftByACrashAndIsSafeTwice()
    {
        using var tree = new HostTree();
        var before = tree.Digest();
        // Cgroup files take plain writes, so the real file writer can make these changes in the tree.
        var files = new RootedHostFiles(tree.Root);
        var request = new RunRequest("gpu-vm", [], null, CpuList.Parse("2-3"), []);
        var plan = HostChangePlanner.Plan(files, request, CpuList.Parse("0-3"));
        HostChanges.Apply(files, JournalFile.PathOf(tree.Root, "gpu-vm"), Journal.Start("gpu-vm", tree.Root, DateTimeOffset.UnixEpoch), plan.Steps);
        Assert.Equal("0-1", tree.Read("sys/fs/cgroup/user.slice/cpuset.cpus"));

        var first = CliRun.Of("restore", "gpu-vm", "--root", tree.Root);
        Assert.Equal(0, first.ExitCode);
        Assert.Contains("gpu-vm: undone: keep init.scope on CPUs 0-1 (was inherited)", first.Out);
        Assert.Contains("gpu-vm: restored", first.Out);
        Assert.Equal(before, tree.Digest());
        var second = CliRun.Of("restore", "gpu-vm", "--root", tree.Root);
        Assert.Equal((0, "nothing to restore"), (second.ExitCode, second.Out.Trim()));
    }

    [Fact]
    public void ALibvirtDomainIsSentToTheHook()
    {
        using var dir = new TempDirectory("vk-run-");
        File.WriteAllText(dir.File("vm.xml"), "<domain type='kvm'><name>vm</name><memory>1048576</memory><devices/></domain>");
        var run = CliRun.Of("run", dir.File("vm.xml"), "--dry-run");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("use `virsh start` with the hook (`vfiokit hook install`)", run.Error);
    }

    [Fact]
    public void HookPlansHugePagesOnTheGpuNodeAndIsolationButNoBinding()
    {
        using var tree = new HostTree();
        var domain = DomainXml.Parse("""
            <domain type='kvm'>
              <name>win11</name>
              <memory unit='GiB'>1</memory>
              <memoryBacking><hugepages/></memoryBacking>
              <vcpu>2</vcpu>
              <cputune><vcpupin vcpu='0' cpuset='2'/><vcpupin vcpu='1' cpuset='3'/><emulatorpin cpuset='0'/></cputune>
              <os><type machine='q35'>hvm</type></os>
              <devices>
                <hostdev mode='subsystem' type='pci' managed='yes'>
                  <source><address domain='0x0000' bus='0x81' slot='0x00' function='0x0'/></source>
                </hostdev>
              </devices>
            </domain>
            """, "win11.xml");
        var request = LibvirtRunConfig.Read(domain);
        var kernel = new KernelStandIn(tree.Root, tree.NativeDrivers);
        var plan = HostChangePlanner.Plan(kernel, request, CpuList.Parse("0-3"), bind: false);
        Assert.Equal(
        [
            "reserve 508 huge pages of 2048 KiB on node 1 (4 -> 512)",
            "keep init.scope on CPUs 0-1 (was inherited)",
            "keep system.slice on CPUs 0-1 (was inherited)",
            "keep user.slice on CPUs 0-1 (was inherited)",
        ], plan.Steps.Select(s => s.Describe()));
    }

    [Fact]
    public void HookInstallKeepsEachEarlierHookOnceAndNotExecutable()
    {
        using var tree = new HostTree();
        var path = tree.PathOf(LibvirtHookScript.RelativePath);
        Assert.Equal(0, CliRun.Of("hook", "install", "--vfiokit", "/opt/a/vfiokit", "--root", tree.Root).ExitCode);
        var first = File.ReadAllText(path);
        var same = CliRun.Of("hook", "install", "--vfiokit", "/opt/a/vfiokit", "--root", tree.Root);
        Assert.Contains("nothing written", same.Out);
        Assert.False(File.Exists(path + ".bak"));

        Assert.Equal(0, CliRun.Of("hook", "install", "--vfiokit", "/opt/b/vfiokit", "--root", tree.Root).ExitCode);
        var second = File.ReadAllText(path);
        Assert.Equal(0, CliRun.Of("hook", "install", "--vfiokit", "/opt/c/vfiokit", "--root", tree.Root).ExitCode);

        // libvirt runs every executable in qemu.d: only the new hook may be one; the older copies are both kept.
        Assert.Contains("/opt/c/vfiokit", File.ReadAllText(path));
        Assert.Equal(first, File.ReadAllText(path + ".bak"));
        Assert.Equal(second, File.ReadAllText(path + ".bak.1"));
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        Assert.True(!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0);
        Assert.True(!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path + ".bak") & anyExecute) == 0);
        Assert.True(!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path + ".bak.1") & anyExecute) == 0);
    }

    [Fact]
    public void HookInstallWritesAnExecutableScriptThatPassesShellcheck()
    {
        using var tree = new HostTree();
        var odd = "/opt/it's $(odd)/vfiokit";
        var dry = CliRun.Of("hook", "install", "--dry-run", "--vfiokit", odd, "--root", tree.Root);
        Assert.Equal(0, dry.ExitCode);
        Assert.False(File.Exists(tree.PathOf(LibvirtHookScript.RelativePath)));

        var run = CliRun.Of("hook", "install", "--vfiokit", odd, "--root", tree.Root);
        Assert.Equal(0, run.ExitCode);
        var path = tree.PathOf(LibvirtHookScript.RelativePath);
        var script = File.ReadAllText(path);
        Assert.EndsWith(script, dry.Out);
        Assert.Contains("prepare/begin) exec '/opt/it'\\''s $(odd)/vfiokit' hook prepare --root ", script);
        // libvirt's operation and sub-operation, as the shell sees them (once rendered as "$-/$-", which never matched).
        Assert.Contains("case \"${2:-}/${3:-}\" in", script);
        Assert.True(!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0);

        var check = new ProcessStartInfo("shellcheck") { ArgumentList = { "-x", path }, RedirectStandardOutput = true };
        using var p = Process.Start(check)!;
        var findings = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, findings);

        // The hook ignores every other operation and exits 0 without running vfiokit.
        var sh = new ProcessStartInfo("sh") { ArgumentList = { path, "win11", "started", "begin", "-" }, RedirectStandardError = true };
        using var started = Process.Start(sh)!;
        started.WaitForExit();
        Assert.Equal(0, started.ExitCode);
    }
}
