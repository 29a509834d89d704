using VfioKit.Host.Cpu;

namespace VfioKit.Host;

/// <summary>
/// <see cref="CpuTopology"/> from libvirt's capabilities: CPUs of each cell with socket, die, core and siblings (a CPU
/// listed without them is offline), level-3 cache banks as L3 domains, cells as NUMA nodes with their memory, huge
/// pages and distances. Isolated CPUs, the model name and hybrid core types are not in the capabilities: empty and unknown.
/// </summary>
public static class LibvirtCpuTopology
{
    /// <param name="freeMemoryKiB">Free memory of each cell in <see cref="HostCapabilities.Cells"/> order, null when unknown.</param>
    /// <param name="freePages">Free pages of each cell, per huge page size in <see cref="HostCapabilities.HugePageSizesKiB"/> order.</param>
    public static CpuTopology From(HostCapabilities caps, IReadOnlyList<long?>? freeMemoryKiB, IReadOnlyList<long[]>? freePages)
    {
        var notes = new List<string>();
        if (caps.Cells.Count == 0) notes.Add("libvirt's capabilities list no NUMA cells: CPUs and NUMA nodes unknown");
        var listed = caps.Cells.SelectMany(c => c.Cpus.Select(cpu => (Cell: c.Id, Cpu: cpu))).OrderBy(x => x.Cpu.Id).ToArray();
        var all = CpuList.Of(listed.Select(x => x.Cpu.Id));
        var online = CpuList.Of(listed.Where(x => x.Cpu.Socket is not null).Select(x => x.Cpu.Id));

        var banks = caps.Caches.Where(b => b.Level == 3 && b.Type is "both" or "unified").OrderBy(b => b.Cpus.IsEmpty ? int.MaxValue : b.Cpus.First).ToArray();
        if (listed.Length > 0 && banks.Length == 0) notes.Add("libvirt lists no level-3 cache bank: L3 domains unknown");
        var l3 = banks.Select((b, i) => new L3Domain(i, b.Id, b.Cpus.Intersect(online), b.SizeKiB)).Where(d => !d.Cpus.IsEmpty).ToArray();
        l3 = [.. l3.Select((d, i) => d with { Index = i })];

        var cpus = listed.Where(x => x.Cpu.Socket is not null).Select(x => new LogicalCpu(
            x.Cpu.Id, x.Cpu.Socket ?? -1, x.Cpu.Die, x.Cpu.Core ?? x.Cpu.Id, null,
            (x.Cpu.Siblings ?? CpuList.Empty).Union(CpuList.Of(x.Cpu.Id)).Intersect(online),
            l3.FirstOrDefault(d => d.Cpus.Contains(x.Cpu.Id))?.Index, x.Cell, CoreType.Unknown, Online: true, Isolated: false)).ToArray();

        var hugeSizes = caps.HugePageSizesKiB.ToArray();
        var nodes = caps.Cells.Select((c, i) => new NumaNode(
            c.Id,
            CpuList.Of(c.Cpus.Select(x => x.Id)).Intersect(online),
            c.MemoryKiB is not { } m || m > 0,
            c.MemoryKiB,
            freeMemoryKiB is not null && i < freeMemoryKiB.Count ? freeMemoryKiB[i] : null,
            [.. hugeSizes.Select((size, s) => new HugePagePool(size,
                c.Pages.Where(p => p.SizeKiB == size).Select(p => p.Count).FirstOrDefault(),
                freePages is not null && i < freePages.Count && s < freePages[i].Length ? freePages[i][s] : 0))],
            // The kernel's order: one distance per node, in node order.
            c.Distances.Count == 0 ? [] : [.. caps.Cells.Select(to => c.Distances.FirstOrDefault(d => d.Node == to.Id).Value)])).ToArray();

        return new CpuTopology(caps.Vendor, null, all, all, online, CpuList.Empty, CpuList.Empty,
            cpus, CpuTopologyReader.CoresOf(cpus), l3, CpuTopologyReader.PackagesOf(cpus), nodes, notes);
    }
}
