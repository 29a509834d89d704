using VfioKit.Fixing;
using VfioKit.Vm;

namespace VfioKit.Rules;

/// <summary>A configuration read into the models the rules use, with the editor for its format.</summary>
public sealed record ParsedConfig(VmTopology Topology, VmTuning Tuning, IConfigEditor Editor);
