using VfioKit.Planning;

namespace VfioKit.Cli.Json;

/// <summary>`vfiokit plan --json` (docs/json/plan.md); also the file `vfiokit pin --plan` reads.</summary>
public sealed record PlanJson(
    int Version,
    int Node,
    IReadOnlyList<int> GpuNodes,
    IReadOnlyList<VcpuPinJson> Vcpus,
    IReadOnlyList<int> EmulatorCpus,
    IReadOnlyList<int> IothreadCpus,
    int Iothreads,
    IReadOnlyList<int> MemoryNodes,
    PlanMemoryJson? Memory,
    GuestTopologyJson GuestTopology,
    PlanScoreJson? Score,
    IReadOnlyList<string>? Reasons,
    string? LibvirtXml,
    IReadOnlyList<string>? QemuArgs)
{
    public const int CurrentVersion = 1;

    public static PlanJson From(CpuPlan plan) => new(
        CurrentVersion,
        plan.Node,
        plan.GpuNodes,
        plan.Vcpus.Select(v => new VcpuPinJson(v.Vcpu, v.HostCpu)).ToArray(),
        plan.EmulatorCpus.ToArray(),
        plan.IoThreadCpus.ToArray(),
        plan.IoThreads,
        plan.Memory.Nodes,
        new PlanMemoryJson(plan.Memory.Bytes, plan.Memory.PageSizeKiB,
            plan.Memory.HugePages.Select(h => new HugePageNeedJson(h.Node, h.PageSizeKiB, h.Needed, h.Free)).ToArray()),
        new GuestTopologyJson(plan.GuestTopology.Sockets, plan.GuestTopology.Dies, plan.GuestTopology.Cores, plan.GuestTopology.Threads),
        new PlanScoreJson(plan.Score.SplitSmtPairs, plan.Score.VcpusOffNode, plan.Score.L3DomainsSpanned, plan.Score.L3DomainsMinimum,
            plan.Score.MemoryNodesOffNode, plan.Score.HostCpusLeft, plan.Score.Ideal),
        plan.Reasons,
        LibvirtPlanXml.Text(plan),
        QemuPlanOptions.Arguments(plan));
}

public sealed record VcpuPinJson(int Vcpu, int HostCpu);

public sealed record GuestTopologyJson(int Sockets, int Dies, int Cores, int Threads);

public sealed record PlanMemoryJson(long? Bytes, long PageSizeKiB, IReadOnlyList<HugePageNeedJson> Hugepages);

public sealed record HugePageNeedJson(int Node, long PageSizeKiB, long Needed, long Free);

public sealed record PlanScoreJson(int SplitSmtPairs, int VcpusOffNode, int L3DomainsSpanned, int L3DomainsMinimum, int MemoryNodesOffNode, int HostCpusLeft, bool Ideal);
