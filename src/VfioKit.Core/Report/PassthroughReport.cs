using VfioKit.GuestView;
using VfioKit.Host;

namespace VfioKit.Report;

/// <summary>The VM part of a report: the configuration read, what the guest will see, and lint's findings on it.</summary>
/// <param name="Path">The configuration file as given ("-" for stdin).</param>
/// <param name="ThreadsPerCore">The guest's SMT width.</param>
public sealed record ReportVm(string Path, string Format, GuestViewResult View, int Vcpus, int ThreadsPerCore, IReadOnlyList<ReportFinding> LintFindings);

/// <summary>
/// One picture's worth of facts: the host, the VM's guest PCIe tree as predicted, the pinning (from the
/// configuration or a plan), and every finding numbered and attached to the element it concerns. Built by
/// <see cref="ReportBuilder"/>; drawn by <see cref="ReportSvg"/>, <see cref="ReportHtml"/> and <see cref="ReportText"/>.
/// </summary>
public sealed record PassthroughReport(
    HostModel Host,
    ReportVm? Vm,
    Pinning? Pinning,
    IReadOnlyList<int> GpuNodes,
    IReadOnlyList<ReportFinding> Findings)
{
    /// <summary>The threads pinned to a host CPU.</summary>
    public IEnumerable<PinnedThread> ThreadsOn(int cpu) => Pinning?.Threads.Where(t => t.HostCpus.Contains(cpu)) ?? [];

    /// <summary>The findings whose badge goes on an element (their first element).</summary>
    public IEnumerable<ReportFinding> FindingsAt(string elementId) => Findings.Where(f => f.Elements.Count > 0 && f.Elements[0] == elementId);

    /// <summary>Whether any finding concerns the element at all.</summary>
    public bool Concerns(string elementId) => Findings.Any(f => f.Elements.Contains(elementId));
}
