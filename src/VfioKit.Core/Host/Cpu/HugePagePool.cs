namespace VfioKit.Host.Cpu;

/// <summary>Hugepages of one size reserved on one NUMA node (nodeN/hugepages/hugepages-SIZEkB).</summary>
public sealed record HugePagePool(long PageSizeKiB, long Total, long Free);
