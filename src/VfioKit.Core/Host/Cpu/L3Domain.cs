namespace VfioKit.Host.Cpu;

/// <summary>CPUs sharing one level-3 unified cache (a CCX on Zen 1/2, a CCD on Zen 3+, a socket on most Intel parts).</summary>
/// <param name="Index">Position in <see cref="CpuTopology.L3Domains"/> (ordered by first CPU).</param>
/// <param name="Id">The cache's own id file when present.</param>
/// <param name="SizeKiB">Cache size when known.</param>
public sealed record L3Domain(int Index, int? Id, CpuList Cpus, long? SizeKiB);
