namespace VfioKit.Host.Cpu;

/// <summary>A NUMA node: its CPUs, its memory (none on a memoryless node), hugepages and distances.</summary>
/// <param name="HasMemory">From has_memory; when that file is absent, MemTotal &gt; 0; true when nothing is known.</param>
/// <param name="Distances">The distance row (index = node id in <see cref="CpuTopology.Nodes"/> order as the kernel lists them), empty when unknown.</param>
public sealed record NumaNode(
    int Id,
    CpuList Cpus,
    bool HasMemory,
    long? MemTotalKiB,
    long? MemFreeKiB,
    IReadOnlyList<HugePagePool> HugePages,
    IReadOnlyList<int> Distances)
{
    public bool IsMemoryless => !HasMemory;

    /// <summary>Free hugepages of a given size on this node (0 when none reserved).</summary>
    public long FreeHugePages(long pageSizeKiB) => HugePages.FirstOrDefault(h => h.PageSizeKiB == pageSizeKiB)?.Free ?? 0;
}
