namespace VfioKit.Host.Cpu;

/// <summary>A physical core: the set of SMT siblings that share its execution units. Pin a guest's
/// thread pairs to one of these, never across two.</summary>
/// <param name="Index">Position in <see cref="CpuTopology.Cores"/> (ordered by first CPU).</param>
public sealed record PhysicalCore(int Index, int Package, int CoreId, CpuList Threads, CoreType Type, int? Node, int? L3)
{
    public int FirstCpu => Threads.First;
}
