using VfioKit.Planning;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Generation;

/// <summary>One guest NUMA node: the host node it mirrors, the planner's placement there and the first vCPU it holds.</summary>
public sealed record GuestCell(int GuestNode, int HostNode, CpuPlan Plan, int FirstVcpu)
{
    public int Vcpus => Plan.Vcpus.Count;
    public int LastVcpu => FirstVcpu + Vcpus - 1;
    public long MemoryBytes => Plan.Memory.Bytes ?? 0;
    public string GuestCpus => Vcpus == 1 ? QemuMachineTypes.I(FirstVcpu) : $"{QemuMachineTypes.I(FirstVcpu)}-{QemuMachineTypes.I(LastVcpu)}";
}
