using VfioKit.Host.Cpu;

namespace VfioKit.Planning;

/// <summary>Binds guest memory to the vCPUs' node (or the nearest node with memory when it has none) and counts
/// the hugepages that node needs.</summary>
internal static class MemoryPlanner
{
    private const long Page2M = 2048;
    private const long Page1G = 1024 * 1024;

    public static MemoryPlacement Place(CpuTopology topo, int node, PlanRequest request, List<string> reasons)
    {
        var home = topo.Node(node);
        var memoryNode = node;
        if (home is { HasMemory: false })
        {
            var nearest = topo.Nodes.Where(n => n.HasMemory).OrderBy(n => topo.Distance(node, n.Id) ?? int.MaxValue).ThenBy(n => n.Id).FirstOrDefault();
            if (nearest is not null)
            {
                memoryNode = nearest.Id;
                reasons.Add($"node {node} has no memory (memoryless): guest memory on the nearest node with memory, {nearest.Id}");
            }
        }
        var target = topo.Node(memoryNode);
        var bytes = request.MemoryBytes;
        if (bytes is null) return new MemoryPlacement([memoryNode], null, PageSize(request.HugePages, null, null), []);

        var kib = (bytes.Value + 1023) / 1024;
        if (target?.MemFreeKiB is { } free && free < kib && request.HugePages == HugePageChoice.None)
            reasons.Add($"node {memoryNode} has {MemorySize.FormatKiB(free)} free for {MemorySize.FormatKiB(kib)} of guest memory");

        var pageKib = PageSize(request.HugePages, target, kib);
        if (pageKib == 0) return new MemoryPlacement([memoryNode], bytes, 0, []);
        var needed = (kib + pageKib - 1) / pageKib;
        var freePages = target?.FreeHugePages(pageKib) ?? 0;
        var need = new HugePageNeed(memoryNode, pageKib, needed, freePages);
        if (!need.Enough)
            reasons.Add($"node {memoryNode} has {freePages} free {MemorySize.FormatKiB(pageKib)} hugepages of the {needed} needed: " +
                $"echo {needed} > /sys/devices/system/node/node{memoryNode}/hugepages/hugepages-{pageKib}kB/nr_hugepages (before other memory fragments)");
        return new MemoryPlacement([memoryNode], bytes, pageKib, [need]);
    }

    private static long PageSize(HugePageChoice choice, NumaNode? node, long? kib) => choice switch
    {
        HugePageChoice.None => 0,
        HugePageChoice.Size2M => Page2M,
        HugePageChoice.Size1G => Page1G,
        // 1 GiB pages only when they divide the size and are already there: they cannot be reserved late.
        _ => kib is { } k && k % Page1G == 0 && node is not null && node.FreeHugePages(Page1G) >= k / Page1G ? Page1G : Page2M,
    };
}
