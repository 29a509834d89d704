using VfioKit.Formats;
using VfioKit.Vm;

namespace VfioKit.Rules;

/// <summary>VK301: options of a launch script that only the running shell knows ("$@", $1, $(cmd), an unset variable).</summary>
public sealed class Vk301RunTimeValues : IRule
{
    public static RuleDescriptor Rule { get; } = new(
        RuleIds.RunTimeValues, Severity.Info,
        "options known only when the script runs",
        "the findings cover the rest of the command line; what these add is not checked",
        ConfigFormats.Qemu);

    public RuleDescriptor Descriptor => Rule;

    public IReadOnlyList<RuleExample> Examples { get; } = [
        new(ConfigFormat.Qemu,
            Bad: """
            exec qemu-system-x86_64 -machine q35 -m 4G "$@"
            """,
            Good: """
            exec qemu-system-x86_64 -machine q35 -m 4G
            """),
    ];

    public IEnumerable<Finding> Check(LintContext c)
    {
        // One line for all of them: the finding says what could not be known, not a problem per value.
        if (c.Topology.RunTime.Count > 0)
            yield return c.Report(Rule, RunTimeValue.Summary(c.Topology.RunTime), c.Topology.RunTime[0].Line);
    }
}
