using System.Xml;
using VfioKit.Host;
using VfioKit.Host.Cpu;
using VfioKit.Pci;

namespace VfioKit.Libvirt;

/// <summary>
/// A host's facts through a libvirt connection, local or remote: PCI functions and IOMMU groups from libvirt's node
/// devices, CPUs, NUMA cells, caches, memory and huge pages from its capabilities (plus the free pages and memory of
/// each cell). libvirt does not give everything sysfs does; those facts are listed in <see cref="NotGiven"/> and stay
/// null or unknown in the model, never guessed. libvirt failures are <see cref="LibvirtException"/>s naming the URI.
/// </summary>
public sealed class LibvirtHostSource(LibvirtConnection connection) : IHostSource
{
    /// <summary>What libvirt's node devices and capabilities do not tell, sorted.</summary>
    public static readonly IReadOnlyList<string> NotGiven =
    [
        .. new[]
        {
            HostFactName.ConfigSpace, HostFactName.ResetMethods, HostFactName.BootVga, HostFactName.LocalCpus, HostFactName.IoBars,
            HostFactName.KernelCommandLine, HostFactName.KernelModules, HostFactName.IsolatedCpus, HostFactName.CpuModelName,
            HostFactName.CoreTypes, HostFactName.MemoryAvailable, HostFactName.HugepageReservations,
        }.Order(StringComparer.Ordinal),
    ];

    /// <summary>The capabilities the last <see cref="Read"/> parsed (empty when unreadable), for callers that need
    /// more of them than the host model keeps (machine types), without asking libvirt for them again.</summary>
    public HostCapabilities? Capabilities { get; private set; }

    public HostFacts Read()
    {
        var notes = new List<string>();
        var (functions, groups) = ReadDevices(notes);
        HostCapabilities caps;
        try { caps = HostCapabilities.Parse(connection.Capabilities()); }
        catch (XmlException e)
        {
            notes.Add($"{connection.Uri}: the capabilities XML is unreadable ({e.Message}): CPUs, NUMA cells and huge pages unknown");
            caps = new HostCapabilities(CpuVendor.Unknown, [], [], [], false, []);
        }
        Capabilities = caps;
        var cellIds = caps.Cells.Select(c => c.Id).ToArray();
        var hugeSizes = caps.HugePageSizesKiB.ToArray();
        var freeMemory = Try(() => connection.CellsFreeMemory(cellIds).Select(b => (long?)(b / 1024)).ToArray(), notes, "free memory per NUMA cell unknown");
        var freePages = Try(() => connection.FreePages(hugeSizes, cellIds), notes, "free huge pages per NUMA cell unknown (taken as 0)");
        var cpu = LibvirtCpuTopology.From(caps, freeMemory, freePages);

        var pools = hugeSizes.Select(size => new HugepagePool(size,
            cpu.Nodes.Sum(n => n.HugePages.FirstOrDefault(h => h.PageSizeKiB == size)?.Total ?? 0),
            freePages is null ? null : cpu.Nodes.Sum(n => n.FreeHugePages(size)), null, null)).ToArray();
        var memTotal = caps.Cells.All(c => c.MemoryKiB is not null) && caps.Cells.Count > 0 ? caps.Cells.Sum(c => c.MemoryKiB!.Value) : (long?)null;
        var memFree = freeMemory is not null && freeMemory.All(f => f is not null) ? freeMemory.Sum(f => f!.Value) : (long?)null;
        var memory = new MemInfo(memTotal, null, null, null, null, memFree);
        var modules = new KernelModules(new HashSet<string>(), new HashSet<string>(), ListReadable: false);
        return new HostFacts(connection.Uri, functions, groups, pools, null, memory, modules, cpu, notes)
        {
            Absent = NotGiven,
            KvmOffered = caps.KvmOffered,
        };
    }

    private (IReadOnlyList<PciFunction>, IReadOnlyList<IommuGroup>) ReadDevices(List<string> notes)
    {
        var functions = new List<PciFunction>();
        var members = new SortedDictionary<int, SortedSet<PciAddress>>();
        foreach (var device in connection.PciDevices())
        {
            if (NodeDeviceXml.Parse(device.Name, device.Xml, notes) is not var (f, group)) continue;
            functions.Add(f);
            if (group is null) continue;
            if (!members.TryGetValue(group.Number, out var set)) members[group.Number] = set = [];
            set.UnionWith(group.Devices);
            set.Add(f.Address);
        }
        functions.Sort((a, b) => a.Address.CompareTo(b.Address));
        return (CardSwitch.WithSlotLinks(functions), [.. members.Select(m => new IommuGroup(m.Key, [.. m.Value]))]);
    }

    private T? Try<T>(Func<T> read, List<string> notes, string consequence) where T : class
    {
        try { return read(); }
        catch (LibvirtException e)
        {
            notes.Add($"{e.Message}: {consequence}");
            return null;
        }
    }
}
