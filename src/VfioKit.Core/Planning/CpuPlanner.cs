using VfioKit.Diagnostics;
using VfioKit.Host.Cpu;

namespace VfioKit.Planning;

/// <summary>
/// Places a VM's vCPUs and memory on the host: the GPU's NUMA node first, whole L3 domains, whole cores (all SMT
/// siblings), P cores before E cores, isolated CPUs before others, the node's first core kept for the host.
/// </summary>
public static class CpuPlanner
{
    public static CpuPlan Plan(CpuTopology topo, PlanRequest request)
    {
        if (request.Vcpus < 1) throw new InputException("--vcpus", "the number of vCPUs must be at least 1");
        if (topo.Cores.Count == 0) throw new InputException("--root", "no CPU topology could be read (see the notes of `vfiokit host`)");
        var reasons = new List<string>();

        var explicitReserve = request.Reserve;
        if (explicitReserve is not null && !explicitReserve.IsSubsetOf(topo.Online))
            throw new InputException("--reserve", $"CPUs {explicitReserve.Except(topo.Online)} are not online on this host (online: {topo.Online})");

        var node = ChooseNode(topo, request, explicitReserve, reasons);
        var reserve = explicitReserve ?? DefaultReserve(topo, node);
        var reservedCores = topo.Cores.Where(c => c.Threads.Intersect(reserve).Count > 0).Select(c => c.Index).ToHashSet();
        var emulator = reserve.Intersect(NodeCpus(topo, node)) is { IsEmpty: false } local ? local : reserve;
        if (reserve.IsEmpty)
        {
            // Nothing kept (--reserve none, for hosts too small to spare a core): the emulator floats over the node.
            emulator = NodeCpus(topo, node).IsEmpty ? topo.Online : NodeCpus(topo, node);
            reasons.Add("no host CPUs kept (--reserve none): the emulator and I/O threads share the vCPUs' cores");
        }

        var usable = topo.Cores.Where(c => !reservedCores.Contains(c.Index)).ToArray();
        var smt = usable.Any(c => c.Threads.Count >= 2);
        var threads = smt && request.Vcpus % 2 == 0 ? 2 : 1;
        if (smt && threads == 1)
            reasons.Add($"{request.Vcpus} is odd: each vCPU gets a whole core with its SMT sibling left idle and the guest sees no SMT; an even count uses both threads of each core");
        var slotsNeeded = request.Vcpus / threads;

        var selection = SlotSelection.Choose(topo, usable, node, threads, slotsNeeded, request.Vcpus, reasons);
        var pins = new List<VcpuPin>();
        foreach (var slot in selection.Slots)
            foreach (var cpu in slot.Cpus)
                pins.Add(new VcpuPin(pins.Count, cpu));

        var guest = new GuestTopology(1, selection.Dies, slotsNeeded / selection.Dies, threads);
        var memory = MemoryPlanner.Place(topo, node, request, reasons);

        var used = CpuList.Of(pins.Select(p => p.HostCpu));
        var split = threads == 2 ? pins.Chunk(2).Count(pair => topo.CoreOf(pair[0].HostCpu)?.Index != topo.CoreOf(pair[1].HostCpu)?.Index) : 0;
        var offNode = pins.Count(p => topo.Cpu(p.HostCpu)?.Node != node);
        var spanned = pins.Select(p => topo.Cpu(p.HostCpu)?.L3).Where(l => l is not null).Distinct().Count();
        var score = new PlanScore(split, offNode, spanned, selection.MinimumL3Domains, memory.Nodes.Count(n => n != node), topo.Online.Except(used).Count);
        if (split > 0) reasons.Add($"{split} guest SMT pair(s) run on two different host cores (not enough 2-thread cores)");

        return new CpuPlan(node, request.GpuNodes, pins, emulator, emulator, Math.Max(0, request.IoThreads), guest, memory, topo.Vendor, score, reasons);
    }

    internal static CpuList NodeCpus(CpuTopology topo, int node) => topo.Node(node)?.Cpus ?? CpuList.Empty;

    private static int ChooseNode(CpuTopology topo, PlanRequest request, CpuList? reserve, List<string> reasons)
    {
        var withCpus = topo.Nodes.Where(n => !n.Cpus.IsEmpty).ToArray();
        var known = request.GpuNodes.Where(n => n >= 0).ToArray();
        if (known.Length > 0)
        {
            var byCount = known.GroupBy(n => n).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).ToArray();
            var gpuNode = byCount[0].Key;
            if (byCount.Length > 1)
                reasons.Add($"the GPUs are on nodes {string.Join(", ", byCount.Select(g => g.Key))}: planning on node {gpuNode}, the others are remote");
            if (topo.Node(gpuNode) is null)
                reasons.Add($"the GPU's node {gpuNode} is not an online NUMA node of this host: choosing by free cores instead");
            else if (topo.Node(gpuNode)!.Cpus.IsEmpty)
            {
                var nearest = withCpus.OrderBy(n => topo.Distance(gpuNode, n.Id) ?? int.MaxValue).ThenBy(n => n.Id).First();
                reasons.Add($"the GPU's node {gpuNode} has no CPUs: vCPUs on the nearest node with CPUs, {nearest.Id}");
                return nearest.Id;
            }
            else return gpuNode;
        }
        else if (request.GpuNodes.Count > 0 && withCpus.Length > 1)
            reasons.Add("the GPU's NUMA node is unknown (numa_node -1): choosing the node with most free cores and memory");

        // The node with most usable cores, then most free memory, then the lowest id.
        return withCpus
            .OrderByDescending(n => topo.Cores.Count(c => c.Node == n.Id && (reserve is null || c.Threads.Intersect(reserve).IsEmpty)))
            .ThenByDescending(n => n.HasMemory ? n.MemFreeKiB ?? 0 : -1)
            .ThenBy(n => n.Id)
            .First().Id;
    }

    /// <summary>The node's first core that is not isolated (isolated CPUs are meant for vCPUs), else its first core.</summary>
    private static CpuList DefaultReserve(CpuTopology topo, int node)
    {
        var cores = topo.Cores.Where(c => c.Node == node).ToArray();
        if (cores.Length == 0) cores = [.. topo.Cores];
        var core = cores.FirstOrDefault(c => c.Threads.Intersect(topo.Isolated).IsEmpty) ?? cores[0];
        return core.Threads;
    }
}
