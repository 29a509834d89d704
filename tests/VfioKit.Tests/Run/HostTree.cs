using System.Diagnostics;
using System.Text;

namespace VfioKit.Tests.Run;

/// <summary>
/// A writable copy of a lab host snapshot (tests/VfioKit.Tests/Data/hosts), set up as a host about to start a VM:
/// vfio-pci loaded, the GPU's functions on the drivers the kernel would give them, systemd's slices with a
/// cgroup v2 cpuset, /run present. <see cref="Digest"/> is every entry's path, kind and bytes or link target,
/// for byte-for-byte comparison.
/// </summary>
public sealed class HostTree : IDisposable
{
    /// <summary>The three kinds of host a run tells apart from the tree (<see cref="VfioKit.Run.CgroupLayout"/>).</summary>
    public enum Cgroups
    {
        /// <summary>cgroup v2 at /sys/fs/cgroup with systemd's three top-level cgroups, systemd not running.</summary>
        V2,
        /// <summary>The same with /run/systemd/system: systemd is PID 1.</summary>
        Systemd,
        /// <summary>A v1 cpuset hierarchy at /sys/fs/cgroup/cpuset with one child, libvirt's `machine` (as on the
        /// test machine, whose PID 1 is not systemd).</summary>
        V1,
    }

    private readonly TempDirectory _dir = new("vk-run-");

    public string Root { get; }

    /// <summary>The driver each function gets when the bus probes it without an override.</summary>
    public Dictionary<string, string> NativeDrivers { get; } = new(StringComparer.Ordinal);

    /// <param name="nodeFreeMiB">MemFree of node 1, so the huge page pre-flight passes (the snapshot's guest had 419 MiB);
    /// null keeps the snapshot's.</param>
    public HostTree(string snapshot = "numa2-pxb", bool bindNative = true, long? nodeFreeMiB = 4096, Cgroups cgroups = Cgroups.V2)
    {
        Root = Path.Combine(_dir.Path, "root");
        Copy(TestPaths.DataFile("hosts", snapshot), Root);
        Directory.CreateDirectory(Path.Combine(Root, "sys/bus/pci/drivers/vfio-pci"));
        Directory.CreateDirectory(Path.Combine(Root, "run"));
        if (cgroups == Cgroups.V1)
        {
            var cpuset = Path.Combine(Root, "sys/fs/cgroup/cpuset");
            Directory.CreateDirectory(Path.Combine(cpuset, "machine"));
            File.WriteAllText(Path.Combine(cpuset, "cpuset.cpus"), "0-3\n");
            File.WriteAllText(Path.Combine(cpuset, "cpuset.mems"), "0-1\n");
            File.WriteAllText(Path.Combine(cpuset, "cgroup.procs"), "1\n");
            File.WriteAllText(Path.Combine(cpuset, "machine", "cpuset.cpus"), "0-3\n");
            File.WriteAllText(Path.Combine(cpuset, "machine", "cpuset.mems"), "0-1\n");
            File.WriteAllText(Path.Combine(cpuset, "machine", "cgroup.procs"), "");
        }
        else
        {
            Directory.CreateDirectory(Path.Combine(Root, "sys/fs/cgroup"));
            File.WriteAllText(Path.Combine(Root, "sys/fs/cgroup/cgroup.controllers"), "cpuset cpu io memory pids\n");
            foreach (var slice in new[] { "init.scope", "system.slice", "user.slice" })
            {
                Directory.CreateDirectory(Path.Combine(Root, "sys/fs/cgroup", slice));
                File.WriteAllText(Path.Combine(Root, "sys/fs/cgroup", slice, "cpuset.cpus"), "\n");
            }
            if (cgroups == Cgroups.Systemd) Directory.CreateDirectory(Path.Combine(Root, "run/systemd/system"));
        }
        if (snapshot == "numa2-pxb")
        {
            var meminfo = Path.Combine(Root, "sys/devices/system/node/node1/meminfo");
            if (nodeFreeMiB is { } mib)
                File.WriteAllText(meminfo, string.Join('\n', File.ReadAllText(meminfo).Split('\n')
                    .Select(l => l.StartsWith("Node 1 MemFree:", StringComparison.Ordinal) ? $"Node 1 MemFree:  {mib * 1024} kB" : l)));
            // What a distribution kernel binds QEMU's virtio-vga, ich9-intel-hda and nvme to.
            NativeDrivers["0000:81:00.0"] = "virtio-pci";
            NativeDrivers["0000:81:00.1"] = "snd_hda_intel";
            NativeDrivers["0000:41:00.0"] = "nvme";
            if (bindNative)
                foreach (var (address, driver) in NativeDrivers)
                {
                    Directory.CreateDirectory(Path.Combine(Root, "sys/bus/pci/drivers", driver));
                    KernelStandIn.Link(Root, address, driver);
                }
        }
    }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public string? DriverOf(string address) =>
        new FileInfo(PathOf($"sys/bus/pci/devices/{address}/driver")).LinkTarget is { } t ? Path.GetFileName(t) : null;

    public string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>A copy of this tree as it is now (what a power cut leaves behind).</summary>
    public string Image(string name)
    {
        var image = Path.Combine(_dir.Path, name);
        Copy(Root, image);
        return image;
    }

    public static void Copy(string from, string to)
    {
        // cp -a keeps symlinks as symlinks (sysfs is made of them) and their relative targets.
        var cp = new ProcessStartInfo("cp") { ArgumentList = { "-a", from, to }, RedirectStandardError = true };
        using var p = Process.Start(cp)!;
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"cp -a {from} {to}: {error}");
    }

    public string Digest() => Digest(Root);

    /// <summary>One line per entry below <paramref name="root"/>: path, then the link target, "dir", or the bytes in hex.</summary>
    public static string Digest(string root)
    {
        var lines = new List<string>();
        void Walk(DirectoryInfo dir)
        {
            foreach (var entry in dir.EnumerateFileSystemInfos())
            {
                var rel = Path.GetRelativePath(root, entry.FullName);
                if (entry.LinkTarget is { } target) lines.Add($"{rel} -> {target}");
                else if (entry is DirectoryInfo sub) { lines.Add($"{rel}/"); Walk(sub); }
                else lines.Add($"{rel} = {Bytes(entry.FullName)}");
            }
        }
        Walk(new DirectoryInfo(root));
        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    /// <summary>A unix socket (QEMU's QMP socket while it runs) cannot be read; it is listed by name.</summary>
    private static string Bytes(string path)
    {
        try { return Convert.ToHexString(File.ReadAllBytes(path)); }
        catch (IOException) when (IsSocket(path)) { return "socket"; }
    }

    private static bool IsSocket(string path)
    {
        var stat = new ProcessStartInfo("stat") { ArgumentList = { "-c", "%F", path }, RedirectStandardOutput = true };
        using var p = Process.Start(stat)!;
        var kind = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return kind == "socket";
    }

    /// <summary>The lines of <paramref name="after"/> that differ from <paramref name="before"/>, for a readable failure.</summary>
    public static string Differences(string before, string after)
    {
        var a = before.Split('\n').ToHashSet();
        var b = after.Split('\n').ToHashSet();
        var text = new StringBuilder();
        foreach (var l in a.Except(b)) text.Append("- ").AppendLine(l.Length > 200 ? l[..200] : l);
        foreach (var l in b.Except(a)) text.Append("+ ").AppendLine(l.Length > 200 ? l[..200] : l);
        return text.ToString();
    }

    public void Dispose() => _dir.Dispose();
}
