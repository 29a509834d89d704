namespace VfioKit.Host.Cpu;

/// <summary>One CPU as the kernel numbers it (a hardware thread), with where it sits.</summary>
/// <param name="Package">physical_package_id; -1 when unknown.</param>
/// <param name="Die">die_id, null when the kernel does not expose it.</param>
/// <param name="CoreId">core_id: unique only within a package and not contiguous on many parts.</param>
/// <param name="Cluster">cluster_id (shared L2 on E-core clusters), null when absent.</param>
/// <param name="Siblings">All hardware threads of this CPU's core (core_cpus_list, else thread_siblings_list), itself included.</param>
/// <param name="L3">Index into <see cref="CpuTopology.L3Domains"/>, null when no level-3 unified cache is listed.</param>
/// <param name="Node">NUMA node, null when unknown.</param>
public sealed record LogicalCpu(
    int Id,
    int Package,
    int? Die,
    int CoreId,
    int? Cluster,
    CpuList Siblings,
    int? L3,
    int? Node,
    CoreType Type,
    bool Online,
    bool Isolated);
