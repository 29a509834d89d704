using VfioKit.Host.Cpu;

namespace VfioKit.Host;

/// <summary>
/// The raw facts a <see cref="IHostSource"/> gives, before slots, GPUs and readiness are worked out from them.
/// </summary>
/// <param name="Origin">Where they came from: the root directory, or the libvirt URI.</param>
/// <param name="Notes">What could not be read or made sense of, one sentence each (the CPU topology's own notes apart).</param>
public sealed record HostFacts(
    string Origin,
    IReadOnlyList<PciFunction> PciFunctions,
    IReadOnlyList<IommuGroup> IommuGroups,
    IReadOnlyList<HugepagePool> Hugepages,
    KernelCommandLine? CommandLine,
    MemInfo Memory,
    KernelModules Modules,
    CpuTopology Cpu,
    IReadOnlyList<string> Notes)
{
    /// <summary>The facts this kind of source never gives (<see cref="HostFactName"/>), sorted; empty for a directory tree.
    /// Their values in the model are null, empty or unknown, never guessed.</summary>
    public IReadOnlyList<string> Absent { get; init; } = [];

    /// <summary>Whether the host offers KVM, when the source says so without a module list (libvirt's capabilities
    /// list domain type kvm); null when the module list answers it or nothing does.</summary>
    public bool? KvmOffered { get; init; }
}
