namespace VfioKit.Host.Cpu;

/// <summary>
/// The host's CPUs as the kernel describes them: packages, NUMA nodes, L3 domains, SMT sibling sets
/// (physical cores), per-CPU facts and hybrid core types. Immutable; read with <see cref="CpuTopologyReader"/>.
/// </summary>
/// <param name="Isolated">CPUs kept from the scheduler: sysfs cpu/isolated and isolcpus= on the command line.</param>
/// <param name="Notes">What could not be read and was taken as unknown.</param>
public sealed record CpuTopology(
    CpuVendor Vendor,
    string? ModelName,
    CpuList Possible,
    CpuList Present,
    CpuList Online,
    CpuList Isolated,
    CpuList NohzFull,
    IReadOnlyList<LogicalCpu> Cpus,
    IReadOnlyList<PhysicalCore> Cores,
    IReadOnlyList<L3Domain> L3Domains,
    IReadOnlyList<CpuPackage> Packages,
    IReadOnlyList<NumaNode> Nodes,
    IReadOnlyList<string> Notes)
{
    /// <summary>True when the kernel lists both performance and efficiency cores.</summary>
    public bool IsHybrid => Cores.Any(c => c.Type == CoreType.Performance) && Cores.Any(c => c.Type == CoreType.Efficiency);

    /// <summary>True when any core has more than one hardware thread.</summary>
    public bool HasSmt => Cores.Any(c => c.Threads.Count > 1);

    /// <summary>The SMT sibling sets, one per physical core, ordered by first CPU.</summary>
    public IEnumerable<CpuList> SmtSiblings => Cores.Select(c => c.Threads);

    public LogicalCpu? Cpu(int id) => Cpus.FirstOrDefault(c => c.Id == id);

    public NumaNode? Node(int id) => Nodes.FirstOrDefault(n => n.Id == id);

    /// <summary>The core holding a CPU, or null for an unknown or offline CPU.</summary>
    public PhysicalCore? CoreOf(int cpu) => Cores.FirstOrDefault(c => c.Threads.Contains(cpu));

    /// <summary>The distance between two nodes from the kernel's table; 10 for the same node, null when unknown.</summary>
    public int? Distance(int from, int to)
    {
        if (from == to) return 10;
        var n = Node(from);
        if (n is null) return null;
        // The kernel writes one distance per online node, in node order: the same order as Nodes.
        for (var i = 0; i < Nodes.Count; i++)
            if (Nodes[i].Id == to) return i < n.Distances.Count ? n.Distances[i] : null;
        return null;
    }
}
