namespace VfioKit.Run;

/// <summary>Who keeps host tasks off the VM's CPUs, and how QEMU gets a cgroup of its own.</summary>
public enum CgroupManager
{
    /// <summary>systemd is PID 1 on a unified (v2) hierarchy: AllowedCPUs on the slices with `systemctl set-property
    /// --runtime`, QEMU in a scope of its own under machine.slice through `systemd-run --scope`.</summary>
    Systemd,
    /// <summary>No systemd (or a v1 cpuset hierarchy, which systemd does not manage): vfiokit writes the cpusets
    /// itself and makes QEMU's cgroup.</summary>
    Cgroupfs,
    /// <summary>No cpuset hierarchy under the root: CPUs cannot be isolated.</summary>
    None,
}

/// <summary>
/// The host's cgroups as seen under a root (so a rehearsal tree can model either kind of host): whether systemd
/// runs (sd_booted(3)'s own test, the directory /run/systemd/system), and where the cpuset controller's
/// hierarchy is: /sys/fs/cgroup itself when unified (cgroup.controllers there), /sys/fs/cgroup/cpuset on v1.
/// </summary>
/// <param name="CpusetBase">The cpuset hierarchy's root relative to the host root ("sys/fs/cgroup" or "sys/fs/cgroup/cpuset").</param>
public sealed record CgroupLayout(CgroupManager Manager, string CpusetBase, bool V1)
{
    public const string SystemdMarker = "run/systemd/system";

    /// <summary>The layout of the host <paramref name="files"/> stands for, read through it like every other host fact
    /// of a run (a rehearsal tree, `--root`, the kernel stand-in of the tests).</summary>
    public static CgroupLayout Detect(IHostFiles files)
    {
        if (files.ReadText("sys/fs/cgroup/cgroup.controllers") is not null)
            return new(files.IsDirectory(SystemdMarker) ? CgroupManager.Systemd : CgroupManager.Cgroupfs, "sys/fs/cgroup", false);
        if (files.ReadText("sys/fs/cgroup/cpuset/cpuset.cpus") is not null) return new(CgroupManager.Cgroupfs, "sys/fs/cgroup/cpuset", true);
        return new(CgroupManager.None, "sys/fs/cgroup", false);
    }

    /// <summary>One line for the dry run: which path applies and why.</summary>
    public string Describe() => Manager switch
    {
        CgroupManager.Systemd => "cgroups: systemd (/run/systemd/system exists, cgroup v2): AllowedCPUs set with systemctl, QEMU in a scope of its own under machine.slice",
        CgroupManager.Cgroupfs => $"cgroups: cgroupfs, {(V1 ? "v1" : "v2")} cpuset hierarchy at /{CpusetBase}{(V1 ? "" : " (no /run/systemd/system: systemd is not PID 1)")}: vfiokit writes the cpusets and makes QEMU's cgroup",
        _ => "cgroups: no cpuset hierarchy under /sys/fs/cgroup",
    };

    /// <summary>systemd's unit name for a VM's scope: "vfiokit-NAME.scope"; a character a unit name may not hold
    /// (a VM name may hold '+') is written \xNN, as systemd-escape(1) does.</summary>
    public static string ScopeUnit(string name)
    {
        var text = new System.Text.StringBuilder("vfiokit-");
        foreach (var c in name)
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or ':' or '-') text.Append(c);
            else text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
        return text.Append(".scope").ToString();
    }
}
