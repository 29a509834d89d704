using VfioKit.Diagnostics;
using VfioKit.Host.Cpu;

namespace VfioKit.Planning;

/// <summary>Chooses the core slots for the vCPUs: the chosen node first (then nearer nodes), the fewest L3 domains,
/// balanced across them so that the guest's dies mirror the host's L3 domains.</summary>
internal sealed record SlotSelection(IReadOnlyList<CoreSlot> Slots, int Dies, int MinimumL3Domains)
{
    public static SlotSelection Choose(CpuTopology topo, IReadOnlyList<PhysicalCore> usable, int node, int threads, int needed, int vcpus, List<string> reasons)
    {
        var nodeSlots = SlotsOf(topo, usable.Where(c => c.Node == node), threads);
        if (nodeSlots.Count >= needed)
        {
            var (chosen, dies, fewest) = FewestL3(nodeSlots, needed, reasons);
            return new SlotSelection(chosen, dies, fewest);
        }

        // Not enough on the node: all of it, then the nearest nodes.
        var all = new List<CoreSlot>(nodeSlots);
        var others = topo.Nodes.Where(n => n.Id != node).OrderBy(n => topo.Distance(node, n.Id) ?? int.MaxValue).ThenBy(n => n.Id);
        foreach (var other in others) all.AddRange(SlotsOf(topo, usable.Where(c => c.Node == other.Id), threads));
        all.AddRange(SlotsOf(topo, usable.Where(c => c.Node is null), threads));
        if (all.Count < needed)
        {
            var cores = threads == 2 ? $"{needed} cores with 2 threads" : $"{needed} whole cores";
            throw new InputException("--vcpus", $"{vcpus} vCPUs need {cores}; the host has {all.Count} usable after keeping {topo.Online.Count - usable.Sum(c => c.Threads.Count)} CPU(s) for the host");
        }
        var taken = all.Take(needed).ToArray();
        var offNode = taken.Where(s => s.Node != node).Sum(s => s.Cpus.Count);
        reasons.Add($"node {node} has {nodeSlots.Count} usable core(s) for the {needed} needed: {offNode} vCPU(s) run on node(s) {string.Join(",", taken.Where(s => s.Node != node).Select(s => s.Node).Distinct())}");
        var minimum = MinimumDomains(all.GroupBy(s => s.L3).Select(g => g.Count()), needed);
        return new SlotSelection(taken, 1, minimum);
    }

    /// <summary>Slots from cores in preference order: performance cores before efficiency cores, isolated
    /// before not, then by L3 domain and first CPU.</summary>
    private static List<CoreSlot> SlotsOf(CpuTopology topo, IEnumerable<PhysicalCore> cores, int threads)
    {
        var ordered = cores
            .OrderBy(c => c.Type == CoreType.Efficiency ? 1 : 0)
            .ThenBy(c => c.Threads.IsSubsetOf(topo.Isolated) ? 0 : 1)
            .ThenBy(c => c.L3 ?? int.MaxValue)
            .ThenBy(c => c.FirstCpu)
            .ToList();
        var slots = new List<CoreSlot>();
        var singles = new List<PhysicalCore>();
        foreach (var c in ordered)
        {
            var isolated = c.Threads.IsSubsetOf(topo.Isolated);
            if (threads == 1) slots.Add(new CoreSlot(CpuList.Of(c.FirstCpu), c.L3, c.Node, c.Type, isolated));
            else if (c.Threads.Count >= 2) slots.Add(new CoreSlot(CpuList.Of(c.Threads[0], c.Threads[1]), c.L3, c.Node, c.Type, isolated));
            else singles.Add(c);
        }
        // Single-thread cores (E cores) pair up only after every SMT core: such a pair is split by nature.
        for (var i = 0; i + 1 < singles.Count; i += 2)
        {
            var (a, b) = (singles[i], singles[i + 1]);
            slots.Add(new CoreSlot(CpuList.Of(a.FirstCpu, b.FirstCpu), a.L3 == b.L3 ? a.L3 : null, a.Node, a.Type, false));
        }
        return slots;
    }

    private static (IReadOnlyList<CoreSlot> Slots, int Dies, int Minimum) FewestL3(List<CoreSlot> slots, int needed, List<string> reasons)
    {
        // Keep preference order inside each domain; a domain's rank is its best slot's rank.
        var domains = slots.Select((s, i) => (s, i)).GroupBy(p => p.s.L3)
            .Select(g => (L3: g.Key, Slots: g.Select(p => p.s).ToArray(), Rank: g.Min(p => p.i), Preferred: g.Count(p => p.s.Type != CoreType.Efficiency),
                Isolated: g.Count(p => p.s.Isolated)))
            .ToArray();
        var minimum = MinimumDomains(domains.Select(d => d.Slots.Length), needed);

        (CoreSlot[] Slots, int Rank, int Preferred, int? L3)[] chosen;
        if (minimum == 1)
        {
            // P cores first, then isolated CPUs (isolcpus= is how a user sets cores aside for guests), then the
            // smallest domain that fits (leaves bigger domains whole for other guests).
            chosen = [domains.Where(d => d.Slots.Length >= needed)
                .OrderByDescending(d => Math.Min(d.Preferred, needed)).ThenByDescending(d => Math.Min(d.Isolated, needed))
                .ThenBy(d => d.Slots.Length).ThenBy(d => d.Rank)
                .Select(d => (d.Slots, d.Rank, d.Preferred, d.L3)).First()];
        }
        else
        {
            chosen = domains.OrderByDescending(d => d.Slots.Length).ThenBy(d => d.Rank).Take(minimum)
                .Select(d => (d.Slots, d.Rank, d.Preferred, d.L3)).OrderBy(d => d.Rank).ToArray();
        }

        // Balanced: the same number of cores from each domain, so the guest gets one die per host L3.
        if (needed % minimum == 0 && chosen.All(d => d.Slots.Length >= needed / minimum))
            return (chosen.SelectMany(d => d.Slots.Take(needed / minimum)).ToArray(), minimum, minimum);

        reasons.Add($"the cores come unevenly from {minimum} L3 domains: the guest is shown one die");
        var result = new List<CoreSlot>();
        foreach (var d in chosen) result.AddRange(d.Slots.Take(needed - result.Count));
        return (result, 1, minimum);
    }

    /// <summary>The fewest domains whose capacities add up to the need: largest first is optimal for that.</summary>
    internal static int MinimumDomains(IEnumerable<int> capacities, int needed)
    {
        var sum = 0;
        var count = 0;
        foreach (var c in capacities.OrderDescending())
        {
            if (sum >= needed) break;
            sum += c;
            count++;
        }
        return Math.Max(1, count);
    }
}
