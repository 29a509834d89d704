using VfioKit.Formats;

namespace VfioKit.Rules;

/// <summary>VK204 (--host): vCPUs unpinned, or pinned against the host's SMT, NUMA and L3 topology or away from the GPU.</summary>
public sealed class Vk204VcpuPinning : IRule
{
    public static RuleDescriptor Rule { get; } = new(
        RuleIds.VcpuPinning, Severity.Warning,
        "vCPU pinning missing or against the host topology",
        "split SMT pairs, far NUMA nodes and several L3 domains cost cache and memory latency on every access",
        ConfigFormats.Libvirt | ConfigFormats.Proxmox, NeedsHost: true);

    public RuleDescriptor Descriptor => Rule;

    public IReadOnlyList<RuleExample> Examples { get; } = [
        new(ConfigFormat.Libvirt,
            Bad: ExampleDomain.Q35(Devices),
            // Four vCPUs on four cores of the GPU's node, one L3.
            Good: ExampleDomain.Q35(Devices).Replace("<vcpu placement='static'>", "<vcpu placement='static' cpuset='0-3'>", StringComparison.Ordinal),
            ExampleHost.Gpu),
    ];

    private const string Devices = """
        <hostdev mode='subsystem' type='pci' managed='yes'>
          <driver name='vfio'/>
          <source>
            <address domain='0x0000' bus='0x0b' slot='0x00' function='0x0'/>
          </source>
        </hostdev>
        """;

    public IEnumerable<Finding> Check(LintContext c)
    {
        if (c.Host is not { } host || host.Cpus.Count == 0) yield break;
        var t = c.Tuning;
        var cpus = host.Cpus.ToDictionary(x => x.Cpu);
        var pinned = t.VcpuPins.Count > 0 ? t.VcpuPins.Values.SelectMany(s => s).ToHashSet() : t.VcpuSet?.ToHashSet();
        var line = t.PinningLine;
        if (pinned is null || pinned.Count == 0)
        {
            yield return c.Report(Rule, $"the {t.Vcpus} vCPUs are not pinned: `vfiokit plan` proposes a placement", line);
            yield break;
        }
        var unknown = pinned.Where(p => !cpus.ContainsKey(p)).ToList();
        if (unknown.Count > 0) yield return c.Report(Rule, $"pinned to CPUs the host does not have: {string.Join(",", unknown)}", line, severity: Severity.Error);
        var known = pinned.Where(cpus.ContainsKey).Select(p => cpus[p]).ToList();

        if (t.ThreadsPerCore == 2)
            for (var v = 0; v + 1 < t.Vcpus; v += 2)
                if (t.VcpuPins.TryGetValue(v, out var a) && t.VcpuPins.TryGetValue(v + 1, out var b) && a.Count == 1 && b.Count == 1
                    && cpus.TryGetValue(a.First(), out var ca) && cpus.TryGetValue(b.First(), out var cb) && ca.Core != cb.Core)
                {
                    yield return c.Report(Rule, $"guest SMT pair vCPU {v}/{v + 1} is on host CPUs {ca.Cpu} and {cb.Cpu}, which are different cores", line);
                    break;
                }

        var nodes = known.Select(k => k.Node).Distinct().ToList();
        var nodeSize = host.Cpus.GroupBy(x => x.Node).ToDictionary(g => g.Key, g => g.Count());
        if (nodes.Count > 1 && nodeSize.Values.Any(n => n >= t.Vcpus))
            yield return c.Report(Rule, $"vCPUs span NUMA nodes {string.Join(",", nodes)} although one node has enough CPUs", line);
        var l3s = known.Select(k => k.L3).Distinct().ToList();
        var l3Size = host.Cpus.GroupBy(x => x.L3).ToDictionary(g => g.Key, g => g.Count());
        if (l3s.Count > 1 && nodes.Count <= 1 && l3Size.Values.Any(n => n >= t.Vcpus))
            yield return c.Report(Rule, $"vCPUs span {l3s.Count} L3 cache domains although one holds {t.Vcpus} CPUs", line);

        var gpuNodes = c.Topology.Configured.Where(d => d.HostAddress is not null)
            .Select(d => host.Function(d.HostAddress!.Value)).OfType<HostFunctionFacts>().Where(f => f.IsDisplay && f.NumaNode is not null)
            .Select(f => f.NumaNode!.Value).Distinct().ToList();
        if (gpuNodes.Count > 0 && !nodes.Intersect(gpuNodes).Any())
            yield return c.Report(Rule, $"vCPUs run on NUMA node {string.Join(",", nodes)} but the GPU is on node {string.Join(",", gpuNodes)}", line);

        if (t.EmulatorPins is { } emulator)
        {
            var vcpuCores = known.Select(k => k.Core).ToHashSet();
            var clash = emulator.Where(e => cpus.TryGetValue(e, out var ce) && vcpuCores.Contains(ce.Core)).ToList();
            if (clash.Count > 0) yield return c.Report(Rule, $"emulator threads share cores with vCPUs (CPUs {string.Join(",", clash)})", line);
        }
    }
}
