using VfioKit.Host.Cpu;

namespace VfioKit.Planning;

/// <summary>What a VM needs: vCPU count, the NUMA node of each GPU (-1 or null = unknown), guest memory,
/// CPUs to keep for the host (null = the first core of the chosen node), hugepage size.</summary>
/// <param name="GpuNodes">numa_node of each passed-through GPU function's device.</param>
/// <param name="MemoryBytes">Guest RAM; null when not planned (no hugepage count then).</param>
/// <param name="HugePages">Page size to back guest memory with: null picks 1 GiB when the node has enough free, else 2 MiB.</param>
public sealed record PlanRequest(
    int Vcpus,
    IReadOnlyList<int> GpuNodes,
    long? MemoryBytes = null,
    CpuList? Reserve = null,
    HugePageChoice HugePages = HugePageChoice.Auto,
    int IoThreads = 1);
