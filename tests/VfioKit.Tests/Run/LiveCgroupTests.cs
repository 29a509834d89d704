using System.Diagnostics;
using System.Globalization;
using VfioKit.Run;
using Xunit;

namespace VfioKit.Tests.Run;

/// <summary>
/// QEMU's own cgroup made, used and removed for real, in the machine's /sys/fs/cgroup, through the same step and
/// engine a run uses (a cgroup of its own, journaled, removed after its process exits). Only where the host's
/// cgroups are run without systemd (the cgroupfs path) and the hierarchy is writable: on a host run by systemd
/// vfiokit asks systemd instead, which a test must not do to the machine it runs on (that path is checked through
/// the dry run and the kernel stand-in). The machine is left as found: the test's cgroup is its only change.
/// </summary>
public sealed class LiveCgroupTests
{
    [SkippableFact]
    public void AQemuCgroupIsMadeHoldsTheProcessIsRefusedRemovalWhileItRunsAndIsRemovedAfter()
    {
        var files = new RootedHostFiles("/");
        var layout = CgroupLayout.Detect(files);
        Skip.If(layout.Manager != CgroupManager.Cgroupfs, $"this host's cgroups are not run through cgroupfs ({layout.Describe()})");
        var name = $"test-{Environment.ProcessId}-{Guid.NewGuid():N}"[..24];
        var step = QemuCgroup.For(files, layout, name);
        var full = "/" + step.Path;
        Skip.If(!Writable(layout), $"/{layout.CpusetBase} is not writable here");
        var before = Listing(layout);
        using var dir = new TempDirectory("vk-live-cgroup-");
        var journal = Path.Combine(dir.Path, $"{name}.journal");
        Process? sleeper = null;
        try
        {
            HostChanges.Apply(files, journal, Journal.Start(name, "/", DateTimeOffset.UtcNow), [step]);
            Assert.True(Directory.Exists(full), $"{full} was not made");
            if (layout.V1) Assert.Equal(File.ReadAllText($"/{layout.CpusetBase}/cpuset.cpus"), File.ReadAllText($"{full}/cpuset.cpus"));

            sleeper = Process.Start(new ProcessStartInfo("sleep", "60"))!;
            files.Write(step.Attach(sleeper.Id));
            // What a user checks: the process is in the cgroup, as the kernel says in /proc.
            var cgroupLine = layout.V1 ? $":cpuset:/vfiokit-{name}" : $"0::/vfiokit-{name}";
            Assert.Contains(File.ReadAllLines($"/proc/{sleeper.Id}/cgroup"), l => l.EndsWith(cgroupLine, StringComparison.Ordinal));
            Assert.Contains(sleeper.Id.ToString(CultureInfo.InvariantCulture), File.ReadAllText($"{full}/cgroup.procs").Split('\n'));

            // While it runs the kernel refuses the rmdir: the undo says so and the journal stays for a later restore.
            var early = HostChanges.Restore(files, journal);
            Assert.False(early.Complete);
            Assert.Contains($"rmdir {full} failed", Assert.Single(early.Failures));
            Assert.True(File.Exists(journal), "the journal was removed though the undo failed");
            Assert.True(Directory.Exists(full));

            sleeper.Kill();
            sleeper.WaitForExit();
            var late = HostChanges.Restore(files, journal);
            Assert.True(late.Complete, string.Join("; ", late.Failures));
            Assert.False(Directory.Exists(full), $"{full} is still there");
            Assert.False(File.Exists(journal));
            Assert.Equal(before, Listing(layout));
        }
        finally
        {
            if (sleeper is { HasExited: false }) { sleeper.Kill(); sleeper.WaitForExit(); }
            sleeper?.Dispose();
            if (Directory.Exists(full)) Directory.Delete(full);
        }
    }

    /// <summary>The cgroups directly below the hierarchy's root.</summary>
    private static string Listing(CgroupLayout layout) =>
        string.Join('\n', Directory.EnumerateDirectories("/" + layout.CpusetBase).Order(StringComparer.Ordinal));

    private static bool Writable(CgroupLayout layout)
    {
        var probe = $"/{layout.CpusetBase}/vfiokit-probe-{Guid.NewGuid():N}";
        try
        {
            Directory.CreateDirectory(probe);
            Directory.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }
}
