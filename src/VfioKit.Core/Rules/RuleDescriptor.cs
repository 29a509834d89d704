using VfioKit.Fixing;
using VfioKit.Formats;

namespace VfioKit.Rules;

/// <summary>What a rule is, independent of any configuration: the catalog entry `vfiokit rules` lists.</summary>
/// <param name="Id">A constant of <see cref="RuleIds"/>.</param>
/// <param name="Severity">The severity its findings usually carry (a rule may raise or lower one finding's).</param>
/// <param name="Title">One line: what is wrong.</param>
/// <param name="Why">One line: what it costs the user; printed under each finding.</param>
/// <param name="Formats">The configuration formats the rule applies to.</param>
/// <param name="NeedsHost">True when the rule runs only with --host (it needs the host model).</param>
/// <param name="Repairs">The repair intents (<see cref="RepairIntent"/> types) its findings ask for; the formats
/// whose repairer carries one of them are the formats `fix` repairs it in.</param>
public sealed record RuleDescriptor(
    string Id,
    Severity Severity,
    string Title,
    string Why,
    ConfigFormats Formats,
    bool NeedsHost = false,
    IReadOnlyList<Type>? Repairs = null)
{
    /// <summary>The formats whose repairer carries what this rule asks for (none when not fixable).</summary>
    public ConfigFormats FixFormats => Repairers.FormatsCarrying(Formats, Repairs ?? []);

    /// <summary>True when `vfiokit fix` can repair its findings in at least one format.</summary>
    public bool Fixable => FixFormats != ConfigFormats.None;

    /// <summary>"vfiokit explain VKnnn": the stable pointer the JSON and SARIF outputs give.</summary>
    public string Help => RuleIds.HelpCommand(Id);
}
