using VfioKit.Formats.Qemu;
using VfioKit.Fixing;
using VfioKit.Vm;

namespace VfioKit.Rules;

/// <summary>A configuration read into the models the rules use, with the repairer for its format.</summary>
public sealed record ParsedConfig(VmTopology Topology, VmTuning Tuning, IRepairer Repairer)
{
    /// <summary>Devices the strict reader rejected and lint read around (a bus that does not exist):
    /// where they were, and the bus they named, for VK110.</summary>
    public IReadOnlyList<UnknownBus> UnknownBuses { get; init; } = [];
}
