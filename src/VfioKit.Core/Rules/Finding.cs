using VfioKit.Fixing;

namespace VfioKit.Rules;

/// <summary>
/// One problem in one configuration: plain data that feeds the text, JSON and SARIF outputs and `fix`
/// alike (ShellCheck's Comment + Fix).
/// </summary>
/// <param name="Fix">The text edits the format's repairer made of <see cref="Repair"/>; null when it carries none.</param>
public sealed record Finding(RuleDescriptor Rule, Severity Severity, string Message, FindingLocation Location, Fix? Fix = null)
{
    /// <summary>The repair the rule asks for, whether or not this format can carry it out.</summary>
    public RepairIntent? Repair { get; init; }


    public string RuleId => Rule.Id;
    public bool Fixable => Fix is not null;
}
