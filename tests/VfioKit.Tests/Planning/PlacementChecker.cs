using VfioKit.Host.Cpu;
using VfioKit.Planning;
using VfioKit.Tests.Host.Cpu;

namespace VfioKit.Tests.Planning;

/// <summary>
/// Judges a plan from lscpu's view of the host (not the planner's topology, not its score): whole cores,
/// guest SMT pairs on one host core, vCPUs on the GPU's node, the fewest L3 domains (found by trying every
/// subset of the node's domains), memory on the node, host CPUs kept apart from the vCPUs.
/// </summary>
public sealed class PlacementChecker(LscpuOracle host)
{
    private readonly CpuList[] _cores = host.Cores.Select(CpuList.Parse).ToArray();
    private readonly CpuList[] _nodes = host.Nodes.Select(CpuList.Parse).ToArray();
    private readonly CpuList[] _l3s = host.L3s.Select(CpuList.Parse).ToArray();

    private CpuList CoreOf(int cpu) => _cores.Single(c => c.Contains(cpu));
    private CpuList NodeOf(int cpu) => _nodes.Single(n => n.Contains(cpu));

    /// <summary>Whether an ideal plan exists for this request with the node's first core kept for the host, and
    /// the fewest L3 domains it needs.</summary>
    public (bool Exists, int MinimumL3) Ideal(int nodeFirstCpu, int vcpus)
    {
        var node = NodeOf(nodeFirstCpu);
        var reserved = CoreOf(node.First);
        var usable = _cores.Where(c => c.IsSubsetOf(node) && !c.Equals(reserved)).ToArray();
        var smt = usable.Any(c => c.Count >= 2);
        var threads = smt && vcpus % 2 == 0 ? 2 : 1;
        var needed = vcpus / threads;
        var fit = usable.Where(c => c.Count >= threads).ToArray();
        if (fit.Length < needed) return (false, 0);
        var domains = _l3s.Where(d => d.Intersect(node).Count > 0).Select(d => fit.Count(c => c.IsSubsetOf(d))).ToArray();
        if (domains.Length == 0) return (true, 0);
        var best = int.MaxValue;
        for (var mask = 1; mask < 1 << domains.Length; mask++)
        {
            var members = Enumerable.Range(0, domains.Length).Where(i => (mask & (1 << i)) != 0).ToArray();
            if (members.Sum(i => domains[i]) >= needed) best = Math.Min(best, members.Length);
        }
        return (true, best);
    }

    /// <summary>Every way the plan falls short of ideal for a GPU on the node holding <paramref name="nodeFirstCpu"/>.</summary>
    public IReadOnlyList<string> Faults(CpuPlan plan, int nodeFirstCpu, int vcpus, int? memoryNode)
    {
        var faults = new List<string>();
        var node = NodeOf(nodeFirstCpu);
        var cpus = plan.Vcpus.Select(v => v.HostCpu).ToArray();
        if (plan.Vcpus.Count != vcpus) faults.Add($"{plan.Vcpus.Count} vCPUs planned for {vcpus}");
        if (!plan.Vcpus.Select(v => v.Vcpu).SequenceEqual(Enumerable.Range(0, vcpus))) faults.Add("vCPU numbers are not 0..N-1");
        if (cpus.Distinct().Count() != cpus.Length) faults.Add("two vCPUs share a host CPU");
        if (cpus.Any(c => !host.Cpus.Contains(c))) faults.Add("a vCPU is on a CPU the host does not have");
        if (faults.Count > 0) return faults;

        var g = plan.GuestTopology;
        if (g.Sockets * g.Dies * g.Cores * g.Threads != vcpus) faults.Add($"guest topology {g} does not hold {vcpus} vCPUs");
        if (g.Threads == 2)
            for (var k = 0; k + 1 < vcpus; k += 2)
                if (!CoreOf(cpus[k]).Equals(CoreOf(cpus[k + 1]))) faults.Add($"vCPUs {k},{k + 1} are split over host cores");
        // Whole cores: a core used by the guest holds nothing else (no emulator thread).
        foreach (var core in cpus.Select(CoreOf).Distinct())
            if (core.Intersect(plan.EmulatorCpus).Count > 0) faults.Add($"core {core} is shared by vCPUs and the emulator");
        if (g.Threads == 1 && cpus.Select(CoreOf).Distinct().Count() != vcpus) faults.Add("a guest without SMT has two vCPUs on one host core");
        var off = cpus.Count(c => !node.Contains(c));
        if (off > 0) faults.Add($"{off} vCPUs off the GPU's node");
        var spanned = _l3s.Count(d => cpus.Any(d.Contains));
        var (_, minimum) = Ideal(nodeFirstCpu, vcpus);
        if (_l3s.Length > 0 && spanned > minimum) faults.Add($"{spanned} L3 domains spanned, {minimum} would do");
        if (memoryNode is { } m && !plan.Memory.Nodes.SequenceEqual([m])) faults.Add($"memory on node(s) {string.Join(",", plan.Memory.Nodes)}, not {m}");
        return faults;
    }
}
