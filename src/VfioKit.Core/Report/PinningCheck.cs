using VfioKit.Host.Cpu;

namespace VfioKit.Report;

/// <summary>One thing wrong with a pinning: a sentence and the elements it concerns (CPUs, threads).</summary>
public sealed record PinningIssue(string Severity, string Message, IReadOnlyList<string> Elements);

/// <summary>
/// Checks a pinning against the host: CPUs the host does not have, guest cores split over host cores,
/// host cores shared between a vCPU and another VM thread, vCPUs on more than one node or away from the
/// GPU, memory on another node than the GPU.
/// </summary>
public static class PinningCheck
{
    /// <param name="guestThreadsPerCore">The guest's SMT width (vCPUs per guest core, cpu-index order).</param>
    /// <param name="gpuNodes">The host NUMA nodes of the passed GPU functions.</param>
    public static IReadOnlyList<PinningIssue> Check(CpuTopology cpu, Pinning pinning, int guestThreadsPerCore, IReadOnlyList<int> gpuNodes)
    {
        var issues = new List<PinningIssue>();
        foreach (var t in pinning.Threads)
        {
            var missing = t.HostCpus.Where(c => cpu.Cpu(c) is not { Online: true }).ToList();
            if (missing.Count > 0)
                issues.Add(new("error", $"{t.Label} is pinned to CPU {string.Join(",", missing)}, which this host does not have online", [t.Id]));
        }

        var vcpus = pinning.Vcpus.ToList();
        if (guestThreadsPerCore > 1)
            foreach (var guestCore in vcpus.GroupBy(v => v.Index / guestThreadsPerCore))
            {
                var cores = guestCore.SelectMany(v => v.HostCpus).Select(cpu.CoreOf).Where(c => c is not null).Select(c => c!.Index).Distinct().ToList();
                if (cores.Count > 1)
                    issues.Add(new("warning",
                        $"guest core {guestCore.Key} ({string.Join(", ", guestCore.Select(v => v.Label))}) is split over {cores.Count} host cores: the guest schedules them as SMT siblings that share a cache, the host runs them apart",
                        [.. guestCore.Select(v => v.Id), .. guestCore.SelectMany(v => v.HostCpus).Select(ReportIds.Cpu)]));
            }

        var others = pinning.Threads.Where(t => t.Kind != PinnedThreadKind.Vcpu).ToList();
        foreach (var core in cpu.Cores.Where(c => c.Threads.Count > 1))
        {
            var onCore = vcpus.Where(v => v.HostCpus.Count == 1 && core.Threads.Contains(v.HostCpus.First)).ToList();
            if (onCore.Count == 0) continue;
            var sharing = others.Where(o => o.HostCpus.Any(core.Threads.Contains)).ToList();
            if (sharing.Count > 0)
                issues.Add(new("warning",
                    $"host core {core.Threads} is split: {string.Join(", ", onCore.Select(v => v.Label))} on one thread, the {string.Join(", ", sharing.Select(s => s.Label))} on its sibling; they compete for the same core",
                    [.. core.Threads.Select(ReportIds.Cpu), .. onCore.Select(v => v.Id), .. sharing.Select(s => s.Id)]));
        }

        var vcpuNodes = vcpus.SelectMany(v => v.HostCpus).Select(c => cpu.Cpu(c)?.Node).OfType<int>().Distinct().Order().ToList();
        if (vcpuNodes.Count > 1)
            issues.Add(new("warning", $"the vCPUs span NUMA nodes {string.Join(", ", vcpuNodes)}: memory and the GPU are remote to some of them",
                [.. vcpuNodes.Select(ReportIds.Node), .. vcpus.Select(v => v.Id)]));
        if (gpuNodes.Count > 0 && vcpuNodes.Count > 0 && !vcpuNodes.Intersect(gpuNodes).Any())
            issues.Add(new("warning", $"the vCPUs run on node {string.Join(", ", vcpuNodes)}, the GPU sits on node {string.Join(", ", gpuNodes)}: every DMA and interrupt crosses nodes",
                [.. vcpuNodes.Select(ReportIds.Node), .. gpuNodes.Select(ReportIds.Node)]));
        if (gpuNodes.Count > 0 && pinning.MemoryNodes.Count > 0 && !pinning.MemoryNodes.All(gpuNodes.Contains))
            issues.Add(new("warning", $"guest memory is bound to node {string.Join(", ", pinning.MemoryNodes)}, the GPU sits on node {string.Join(", ", gpuNodes)}",
                [.. pinning.MemoryNodes.Select(ReportIds.Node), .. gpuNodes.Select(ReportIds.Node)]));
        return issues;
    }
}
