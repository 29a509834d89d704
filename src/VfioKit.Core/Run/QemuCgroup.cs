namespace VfioKit.Run;

/// <summary>
/// A cgroup of QEMU's own where systemd does not make one (no systemd, or a v1 cpuset hierarchy): a sibling of the
/// cgroups whose cpusets are narrowed, so the isolation never limits QEMU and its vCPUs may be pinned onto the
/// isolated CPUs. Made before QEMU starts; QEMU's pid is written to its cgroup.procs at once after; removed when
/// QEMU has exited (the kernel refuses while a process is in it). On v1 a new cpuset has no CPUs or memory nodes
/// until given some: it gets its parent's.
/// </summary>
/// <param name="Path">The cgroup directory relative to the root ("sys/fs/cgroup/vfiokit-gpu-vm").</param>
/// <param name="Cpus">v1 only: the parent's cpuset.cpus, written to the new cgroup; null on v2 (inherited).</param>
/// <param name="Mems">v1 only: the parent's cpuset.mems.</param>
public sealed record QemuCgroup(string Path, string? Cpus, string? Mems) : HostStep
{
    public string ProcsPath => $"{Path}/cgroup.procs";

    public static string PathFor(CgroupLayout layout, string name) => $"{layout.CpusetBase}/vfiokit-{name}";

    /// <summary>The step for VM <paramref name="name"/> on a host laid out as <paramref name="layout"/> (v1: with the
    /// hierarchy root's CPUs and memory nodes, read now).</summary>
    public static QemuCgroup For(IHostFiles files, CgroupLayout layout, string name) => layout.V1
        ? new QemuCgroup(PathFor(layout, name), files.ReadText($"{layout.CpusetBase}/cpuset.cpus"), files.ReadText($"{layout.CpusetBase}/cpuset.mems"))
        : new QemuCgroup(PathFor(layout, name), null, null);

    public override string Describe() => $"make QEMU's own cgroup /{Path}, outside the narrowed ones";

    public override IReadOnlyList<string> Reads => Cpus is null ? [] : [$"{Parent}/cpuset.cpus", $"{Parent}/cpuset.mems"];

    private string Parent => System.IO.Path.GetDirectoryName(Path)!;

    public override IReadOnlyList<HostWrite> Apply() => Cpus is null || Mems is null
        ? [HostWrite.MakeDirectory(Path)]
        : [HostWrite.MakeDirectory(Path), new($"{Path}/cpuset.cpus", Cpus), new($"{Path}/cpuset.mems", Mems)];

    /// <summary>Puts a process in the cgroup (every thread of it: cgroup.procs takes the whole process).</summary>
    public HostWrite Attach(int pid) => new(ProcsPath, pid.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public override string? Verify(IHostFiles files)
    {
        if (!files.IsDirectory(Path)) return $"/{Path} was not made";
        return Cpus is not null && files.ReadText($"{Path}/cpuset.cpus") is var cpus && cpus != Cpus
            ? $"/{Path}/cpuset.cpus reads {cpus ?? "nothing"}, not {Cpus}" : null;
    }

    public override IReadOnlyList<HostWrite> Undo(IHostFiles files) => files.IsDirectory(Path) ? [HostWrite.RemoveDirectory(Path)] : [];

    public override IReadOnlyList<HostWrite> UndoAfterApply() => [HostWrite.RemoveDirectory(Path)];

    public override string? VerifyUndone(IHostFiles files) => files.IsDirectory(Path) ? $"/{Path} is still there" : null;
}
