using System.Globalization;
using VfioKit.Host.Cpu;

namespace VfioKit.Run;

/// <summary>
/// Plans the host changes of a <see cref="RunRequest"/> from what the host shows now: bind each function not yet
/// on vfio-pci, raise the huge page pool of the GPU's NUMA node by what its free pages lack, and keep host tasks
/// on the host's other CPUs (systemd AllowedCPUs, or the cpusets with a cgroup of QEMU's own; <see cref="CgroupLayout"/>). Reads only; the old state read here is what the journal keeps.
/// </summary>
public static class HostChangePlanner
{
    public const string VfioPci = "vfio-pci";

    /// <summary>The top-level units host tasks live in under systemd (cgroup v2).</summary>
    public static readonly IReadOnlyList<string> HostSlices = ["init.scope", "system.slice", "user.slice"];

    /// <param name="bind">False for libvirt, which binds managed hostdevs itself.</param>
    public static HostChangePlan Plan(IHostFiles files, RunRequest request, CpuList onlineCpus, bool bind = true)
    {
        var steps = new List<HostStep>();
        if (bind)
            foreach (var address in request.Functions)
                if (DriverBinding.Read(files, address, VfioPci) is { } step && step.OldDriver != VfioPci) steps.Add(step);

        if (request.HugePages is { } demand)
        {
            var node = NodeOf(files, request);
            var pool = PoolOf(node, demand.PageKiB);
            var count = Number(files, $"{pool}/nr_hugepages") ?? throw new HostChangeException($"/{pool} missing: the host has no {demand.PageKiB} KiB huge pages");
            var free = Number(files, $"{pool}/free_hugepages") ?? 0;
            if (free < demand.Pages) steps.Add(new HugePageReservation(node, demand.PageKiB, count, count + demand.Pages - free));
        }

        var cgroups = CgroupLayout.Detect(files);
        var notes = new List<string>();
        if (request.VmCpus is { IsEmpty: false } vm)
        {
            var host = onlineCpus.Except(vm);
            if (host.IsEmpty) throw new HostChangeException($"the VM's CPUs {vm} are all the host's online CPUs: none would be left for the host");
            Isolate(files, cgroups, request, host.ToString(), steps, notes);
        }
        return new HostChangePlan(request.Name, steps) { Cgroups = cgroups, Notes = notes };
    }

    /// <summary>Keeps host tasks on <paramref name="host"/>: through systemd where it runs the cgroups, else by
    /// narrowing every top-level cpuset but QEMU's, which a run (not the hook: libvirt makes one) gets first.</summary>
    private static void Isolate(IHostFiles files, CgroupLayout cgroups, RunRequest request, string host, List<HostStep> steps, List<string> notes)
    {
        switch (cgroups.Manager)
        {
            case CgroupManager.Systemd:
                foreach (var slice in HostSlices.Where(s => files.IsDirectory($"sys/fs/cgroup/{s}")))
                    if ((files.ReadText($"sys/fs/cgroup/{slice}/cpuset.cpus") ?? "") is var old && old != host) steps.Add(new SliceAllowedCpus(slice, host, old));
                return;
            case CgroupManager.Cgroupfs:
                var narrowed = 0;
                foreach (var name in files.Directories(cgroups.CpusetBase).Where(d => !d.StartsWith("vfiokit-", StringComparison.Ordinal)))
                    if (files.ReadText($"{cgroups.CpusetBase}/{name}/cpuset.cpus") is { } old)
                    {
                        narrowed++;
                        if (old != host) steps.Add(new CpusetLimit(Path.GetRelativePath("sys/fs/cgroup", $"{cgroups.CpusetBase}/{name}"), host, old));
                    }
                if (narrowed == 0) notes.Add($"no cgroup below /{cgroups.CpusetBase} has a cpuset to narrow{(cgroups.V1 ? "" : " (is the cpuset controller in its cgroup.subtree_control?)")}");
                notes.Add($"tasks in the root cgroup /{cgroups.CpusetBase} itself are not kept off: a root cpuset always has every CPU");
                if (request.Argv.Count == 0) return;
                var own = QemuCgroup.PathFor(cgroups, request.Name);
                if (files.IsDirectory(own)) throw new HostChangeException($"/{own} exists: a run of {request.Name} did not finish (run `vfiokit restore {request.Name}`), or it is someone else's");
                steps.Add(QemuCgroup.For(files, cgroups, request.Name));
                return;
            default:
                throw new HostChangeException($"no cpuset hierarchy under /sys/fs/cgroup (neither cgroup.controllers nor cpuset/cpuset.cpus): host tasks cannot be kept off CPUs {request.VmCpus}");
        }
    }

    /// <summary>The huge page pool directory of a node (null: the host's global pool).</summary>
    public static string PoolOf(int? node, long pageKiB) => node is { } n
        ? $"sys/devices/system/node/node{n}/hugepages/hugepages-{pageKiB}kB"
        : $"sys/kernel/mm/hugepages/hugepages-{pageKiB}kB";

    /// <summary>The NUMA node of the first passed function that has one; null (the global pool) for none or -1.</summary>
    public static int? NodeOf(IHostFiles files, RunRequest request)
    {
        foreach (var address in request.Functions)
            if (Number(files, $"sys/bus/pci/devices/{address}/numa_node") is { } n and >= 0
                && files.ReadText($"sys/devices/system/node/node{n}/cpulist") is not null) return (int)n;
        return null;
    }

    internal static long? Number(IHostFiles files, string path) =>
        long.TryParse(files.ReadText(path), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;
}
