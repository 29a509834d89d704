using VfioKit.Vm;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.GuestView;

/// <summary>The prediction for a whole VM: every device in guest enumeration order, and the problems found.</summary>
/// <param name="QemuVersion">The QEMU version the prediction is for.</param>
/// <param name="MachineVersion">The machine version whose defaults apply (the alias resolved, or the versioned type).</param>
public sealed record GuestViewResult(
    VmTopology Topology,
    MachineVersion QemuVersion,
    MachineVersion MachineVersion,
    ValueList<GuestDevice> Devices,
    ValueList<TopologyProblem> Problems)
{
    public GuestDevice? Find(string name) => Devices.FirstOrDefault(d => d.Name == name);

    public bool HasErrors => Problems.Any(p => p.Severity == ProblemSeverity.Error);
}
