using VfioKit.Formats.Qemu;
using VfioKit.Fixing;
using VfioKit.Formats;
using VfioKit.GuestView;
using VfioKit.Vm;

namespace VfioKit.Rules;

/// <summary>
/// Everything a rule may look at: the configuration's topology and tuning facts (read once by the
/// format's reader), the host facts when --host was given, the options, and the format's repairer, which
/// turns the repair a rule asks for into text edits. Rules never read files.
/// </summary>
public sealed record LintContext(ConfigDocument Document, VmTopology Topology, VmTuning Tuning, IRepairer Repairer, LintOptions Options)
{
    /// <summary>What the guest will see (the guest-view predictor's answer for this topology and host).</summary>
    public required GuestViewResult View { get; init; }

    public IHostFacts? Host { get; init; }

    /// <summary>Devices whose bus= named no bus; the reader placed them as if bus= were absent.</summary>
    public IReadOnlyList<UnknownBus> UnknownBuses { get; init; } = [];

    /// <summary>The host's file system, when lint runs on the VM host (romfile checks); null otherwise.</summary>
    public IHostFiles? Files { get; init; }

    public ConfigFormat Format => Document.Format;

    /// <summary>A finding at a 1-based line of the document (0: the whole file).</summary>
    public Finding Report(RuleDescriptor rule, string message, int line, RepairIntent? repair = null, Severity? severity = null) =>
        new(rule, severity ?? rule.Severity, message, new FindingLocation(Document.Path, line), repair is null ? null : Repairer.Repair(repair))
        {
            Repair = repair,
        };

    /// <summary>A finding at the line a device was read from.</summary>
    public Finding Report(RuleDescriptor rule, string message, VmDevice device, RepairIntent? repair = null, Severity? severity = null) =>
        Report(rule, message, device.Source?.Line ?? 0, repair, severity);
}
