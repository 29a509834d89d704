namespace VfioKit.Host;

/// <summary>Huge pages reserved on one NUMA node for one page size (from the CPU/NUMA model).</summary>
public sealed record NodeHugepages(int Node, long SizeKb, long Total, long? Free);
