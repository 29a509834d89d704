using VfioKit.Host.Cpu;
using VfioKit.Planning;

namespace VfioKit.Runtime;

/// <summary>What to pin: each vCPU to host CPUs, the emulator threads and the I/O threads to a set, and where
/// memory should be. An empty set leaves those threads as they are.</summary>
public sealed record PinPlan(IReadOnlyList<VcpuPin> Vcpus, CpuList EmulatorCpus, CpuList IoThreadCpus, IReadOnlyList<int> MemoryNodes)
{
    public static PinPlan From(CpuPlan plan) => new(plan.Vcpus, plan.EmulatorCpus, plan.IoThreadCpus, plan.Memory.Nodes);

    public CpuList AllCpus => CpuList.Of(Vcpus.Select(v => v.HostCpu)).Union(EmulatorCpus).Union(IoThreadCpus);
}
