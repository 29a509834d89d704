using System.Globalization;

namespace VfioKit.Planning;

/// <summary>The plan as QEMU command-line arguments (an argv fragment, one element per word): -smp with topology,
/// the memory backend bound to the host node, and one guest NUMA node holding it. Pinning itself is done by
/// `vfiokit pin` on the running process, since QEMU has no option for it.</summary>
public static class QemuPlanOptions
{
    public static IReadOnlyList<string> Arguments(CpuPlan plan)
    {
        var g = plan.GuestTopology;
        var args = new List<string>
        {
            "-smp", $"{I(plan.Vcpus.Count)},sockets={I(g.Sockets)},dies={I(g.Dies)},cores={I(g.Cores)},threads={I(g.Threads)}",
        };
        if (plan.Memory.Bytes is not { } bytes) return args;

        var size = Size(bytes);
        // A list of nodes is written as repeated host-nodes= keys.
        var nodes = string.Join(",host-nodes=", plan.Memory.Nodes.Select(n => I(n)));
        var backend = plan.Memory.PageSizeKiB > 0
            ? $"memory-backend-memfd,id=mem0,size={size},hugetlb=on,hugetlbsize={Size(plan.Memory.PageSizeKiB * 1024)},share=on,prealloc=on,host-nodes={nodes},policy=bind"
            : $"memory-backend-ram,id=mem0,size={size},prealloc=on,host-nodes={nodes},policy=bind";
        args.AddRange(["-m", size, "-object", backend, "-numa", $"node,nodeid=0,cpus={GuestCpus(plan)},memdev=mem0"]);
        if (plan.IoThreads > 0)
            for (var t = 1; t <= plan.IoThreads; t++) args.AddRange(["-object", $"iothread,id=iothread{I(t)}"]);
        return args;
    }

    /// <summary>Bytes as QEMU's size suffixes: the largest exact unit (16G, 512M, 4096K).</summary>
    public static string Size(long bytes) =>
        bytes % (1L << 30) == 0 ? I(bytes >> 30) + "G"
        : bytes % (1L << 20) == 0 ? I(bytes >> 20) + "M"
        : bytes % 1024 == 0 ? I(bytes >> 10) + "K"
        : I(bytes);

    private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>All guest vCPUs as a range: "0-7", or "0" for one.</summary>
    public static string GuestCpus(CpuPlan plan) => plan.Vcpus.Count == 1 ? "0" : $"0-{I(plan.Vcpus.Count - 1)}";
}
