using VfioKit.Formats;

namespace VfioKit.Rules;

/// <summary>What a rule is, independent of any configuration: the catalog entry `vfiokit rules` lists.</summary>
/// <param name="Id">A constant of <see cref="RuleIds"/>.</param>
/// <param name="Severity">The severity its findings usually carry (a rule may raise or lower one finding's).</param>
/// <param name="Title">One line: what is wrong.</param>
/// <param name="Why">One line: what it costs the user; printed under each finding.</param>
/// <param name="Formats">The configuration formats the rule applies to.</param>
/// <param name="NeedsHost">True when the rule runs only with --host (it needs the host model).</param>
/// <param name="Fixable">True when `vfiokit fix` can repair (some of) its findings.</param>
/// <param name="FixableIn">The formats fix repairs it in, when fewer than <paramref name="Formats"/>.</param>
public sealed record RuleDescriptor(
    string Id,
    Severity Severity,
    string Title,
    string Why,
    ConfigFormats Formats,
    bool NeedsHost = false,
    bool Fixable = false,
    ConfigFormats? FixableIn = null)
{
    /// <summary>The formats whose findings of this rule carry a fix (none when not fixable).</summary>
    public ConfigFormats FixFormats => Fixable ? (FixableIn ?? Formats) & Formats : ConfigFormats.None;

    public string HelpPath => RuleIds.HelpPath(Id);

    /// <summary>"vfiokit explain VKnnn": the stable pointer the JSON and SARIF outputs give.</summary>
    public string Help => RuleIds.HelpCommand(Id);
}
