using VfioKit.Host.Cpu;
using VfioKit.Pci;
using VfioKit.Files;

namespace VfioKit.Host;

/// <summary>
/// The host as vfiokit sees it, read once from a root directory (`/` or a snapshot) or a libvirt connection: PCI functions and
/// slots, IOMMU groups, GPUs with their viability, huge pages, kernel command line, modules, and the
/// readiness checklist. Anything unreadable is null/unknown and explained in <see cref="Notes"/>.
/// </summary>
public sealed record HostModel
{
    /// <summary>Where the facts came from: the root directory, or the libvirt URI.</summary>
    public required string Root { get; init; }
    public required IReadOnlyList<PciFunction> PciFunctions { get; init; }
    public required IReadOnlyList<PhysicalSlot> Slots { get; init; }
    public required IReadOnlyList<IommuGroup> IommuGroups { get; init; }
    public required IReadOnlyList<Gpu> Gpus { get; init; }
    public required IReadOnlyList<HugepagePool> Hugepages { get; init; }
    public required KernelCommandLine? CommandLine { get; init; }
    public required MemInfo Memory { get; init; }
    public required KernelModules Modules { get; init; }
    /// <summary>Packages, NUMA nodes (memoryless marked, per-node huge pages), L3 domains, SMT siblings, isolated CPUs.</summary>
    public required CpuTopology Cpu { get; init; }
    public required IReadOnlyList<ReadinessCheck> Readiness { get; init; }
    /// <summary>What could not be read or made sense of, one sentence each.</summary>
    public required IReadOnlyList<string> Notes { get; init; }

    /// <summary>Whether a readiness check failed: passthrough cannot work on this host as it is.</summary>
    public bool HasFailedCheck => Readiness.Any(c => c.Status == CheckStatus.Fail);

    public PciFunction? Function(PciAddress address) => PciFunctions.FirstOrDefault(f => f.Address == address);

    /// <summary>The facts the source could not give (<see cref="HostFactName"/>); empty for a directory tree.</summary>
    public IReadOnlyList<string> Absent { get; init; } = [];

    /// <summary>Reads the host under <paramref name="root"/>. Never throws for odd or missing files.</summary>
    public static HostModel Read(SysfsRoot root) => Read(new DirectoryHostSource(root));

    /// <summary>Reads the host from <paramref name="source"/> and works out its slots, GPUs and readiness.</summary>
    public static HostModel Read(IHostSource source) => From(source.Read());

    public static HostModel From(HostFacts facts)
    {
        var functions = facts.PciFunctions;
        var byAddress = functions.ToDictionary(f => f.Address);
        var slots = functions.GroupBy(f => f.Address.Slot).Select(g => new PhysicalSlot(g.Key, [.. g])).ToList();
        var gpus = GpuFinder.Find(slots, facts.IommuGroups, byAddress);
        var readiness = ReadinessChecklist.Evaluate(facts.IommuGroups, facts.CommandLine, facts.Modules, facts.Hugepages, facts.Cpu, gpus,
            facts.Absent, facts.KvmOffered);
        return new HostModel
        {
            Root = facts.Origin,
            PciFunctions = functions,
            Slots = slots,
            IommuGroups = facts.IommuGroups,
            Gpus = gpus,
            Hugepages = facts.Hugepages,
            CommandLine = facts.CommandLine,
            Memory = facts.Memory,
            Modules = facts.Modules,
            Cpu = facts.Cpu,
            Readiness = readiness,
            Notes = [.. facts.Notes, .. facts.Cpu.Notes],
            Absent = facts.Absent,
        };
    }
}
