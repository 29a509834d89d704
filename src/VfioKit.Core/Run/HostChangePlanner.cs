using System.Globalization;
using VfioKit.Host.Cpu;

namespace VfioKit.Run;

/// <summary>
/// Plans the host changes of a <see cref="RunRequest"/> from what the host shows now: bind each function not yet
/// on vfio-pci, raise the huge page pool of the GPU's NUMA node by what its free pages lack, and narrow the
/// systemd slices' cpusets to the host's other CPUs. Reads only; the old state read here is what the journal keeps.
/// </summary>
public static class HostChangePlanner
{
    public const string VfioPci = "vfio-pci";

    /// <summary>The top-level cgroups host tasks live in under systemd (cgroup v2).</summary>
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

        if (request.VmCpus is { IsEmpty: false } vm)
        {
            var host = onlineCpus.Except(vm);
            if (host.IsEmpty) throw new HostChangeException($"the VM's CPUs {vm} are all the host's online CPUs: none would be left for the host");
            foreach (var slice in HostSlices)
            {
                var old = files.ReadText($"sys/fs/cgroup/{slice}/cpuset.cpus");
                if (old is not null && old != host.ToString()) steps.Add(new CpusetLimit(slice, host.ToString(), old));
            }
        }
        return new HostChangePlan(request.Name, steps);
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
