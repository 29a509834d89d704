using VfioKit.Host.Cpu;

namespace VfioKit.Planning;

/// <summary>A placement of a VM on the host: vCPU pins, host/emulator CPUs, guest topology, memory, score and
/// the reasons it is not ideal. Rendered by <see cref="LibvirtPlanXml"/> and <see cref="QemuPlanOptions"/>.</summary>
/// <param name="Node">The host NUMA node chosen for the vCPUs.</param>
/// <param name="EmulatorCpus">Host CPUs for QEMU's main and emulator threads.</param>
/// <param name="IoThreadCpus">Host CPUs for I/O threads (the emulator's).</param>
/// <param name="Reasons">Why the plan is not ideal, or what the host must prepare (hugepages); empty when nothing to say.</param>
public sealed record CpuPlan(
    int Node,
    IReadOnlyList<int> GpuNodes,
    IReadOnlyList<VcpuPin> Vcpus,
    CpuList EmulatorCpus,
    CpuList IoThreadCpus,
    int IoThreads,
    GuestTopology GuestTopology,
    MemoryPlacement Memory,
    CpuVendor Vendor,
    PlanScore Score,
    IReadOnlyList<string> Reasons)
{
    public CpuList VcpuCpus => CpuList.Of(Vcpus.Select(v => v.HostCpu));
}
