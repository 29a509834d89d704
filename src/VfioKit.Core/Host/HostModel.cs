using VfioKit.Host.Cpu;
using VfioKit.Pci;
using VfioKit.Files;

namespace VfioKit.Host;

/// <summary>
/// The host as vfiokit sees it, read once from a root directory (`/` or a snapshot): PCI functions and
/// slots, IOMMU groups, GPUs with their viability, huge pages, kernel command line, modules, and the
/// readiness checklist. Anything unreadable is null/unknown and explained in <see cref="Notes"/>.
/// </summary>
public sealed record HostModel
{
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

    /// <summary>Reads the host under <paramref name="root"/>. Never throws for odd or missing files.</summary>
    public static HostModel Read(SysfsRoot root)
    {
        var notes = new List<string>();
        var functions = ReadFunctions(root, notes);
        var byAddress = functions.ToDictionary(f => f.Address);
        var slots = functions.GroupBy(f => f.Address.Slot).Select(g => new PhysicalSlot(g.Key, [.. g])).ToList();
        var groups = IommuGroupReader.Read(root, notes);
        var gpus = GpuFinder.Find(slots, groups, byAddress);
        var hugepages = HugepageReader.Read(root, notes);
        var cmdline = ProcReader.CommandLine(root, notes);
        var memory = ProcReader.Memory(root, notes);
        var modules = ProcReader.Modules(root, notes);
        var cpu = CpuTopologyReader.Read(new SysfsText(root));
        var readiness = ReadinessChecklist.Evaluate(groups, cmdline, modules, hugepages, cpu, gpus);
        return new HostModel
        {
            Root = root.Root,
            PciFunctions = functions,
            Slots = slots,
            IommuGroups = groups,
            Gpus = gpus,
            Hugepages = hugepages,
            CommandLine = cmdline,
            Memory = memory,
            Modules = modules,
            Cpu = cpu,
            Readiness = readiness,
            Notes = [.. notes, .. cpu.Notes],
        };
    }

    private static IReadOnlyList<PciFunction> ReadFunctions(SysfsRoot root, List<string> notes)
    {
        if (!root.TryList(PciFunctionReader.DevicesDirectory, out var entries))
        {
            notes.Add($"{PciFunctionReader.DevicesDirectory} unreadable: no PCI devices known");
            return [];
        }
        var addresses = new List<PciAddress>();
        foreach (var entry in entries)
        {
            if (PciAddress.TryParse(entry, out var a)) addresses.Add(a);
            else notes.Add($"{PciFunctionReader.DevicesDirectory}/{entry}: not a PCI address");
        }
        addresses.Sort();
        var functions = addresses.Select(a => PciFunctionReader.Read(root, a, notes)).ToList();
        var byAddress = functions.ToDictionary(f => f.Address);
        functions = functions.Select(f => CardSwitch.SlotLinkOf(f, byAddress) is { } slot ? f with { SlotLink = slot } : f).ToList();
        return NameFunctions(root, functions);
    }

    private static List<PciFunction> NameFunctions(SysfsRoot root, List<PciFunction> functions)
    {
        var wanted = functions.Where(f => f.VendorId is not null && f.DeviceId is not null)
            .Select(f => (f.VendorId!.Value, f.DeviceId!.Value)).Distinct().ToList();
        if (wanted.Count == 0) return functions;
        foreach (var location in PciIds.Locations)
        {
            var scanner = new PciIdsScanner(wanted);
            if (!root.TryStream(location, chunk => { scanner.Feed(chunk); return !scanner.Done; })) continue;
            var names = scanner.Finish();
            return functions.Select(f => f with { VendorName = names.Vendor(f.VendorId), DeviceName = names.Device(f.VendorId, f.DeviceId) }).ToList();
        }
        return functions;
    }
}
