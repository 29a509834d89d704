using VfioKit.Formats;

namespace VfioKit.Rules;

/// <summary>
/// One lint rule: its descriptor, a bad and a good example per format it applies to, and the check.
/// A rule gets the models (<see cref="LintContext"/>) and never reads files or sysfs itself.
/// </summary>
public interface IRule
{
    RuleDescriptor Descriptor { get; }

    /// <summary>Configurations that trigger the rule and ones that do not; the catalog test runs them all.</summary>
    IReadOnlyList<RuleExample> Examples { get; }

    IEnumerable<Finding> Check(LintContext context);
}

/// <summary>A configuration in one format that must trigger the rule (<see cref="Bad"/>) and one that must not.</summary>
/// <param name="Host">A host the example needs (for --host rules), or null.</param>
public sealed record RuleExample(ConfigFormat Format, string Bad, string Good, IHostFacts? Host = null);
