using VfioKit.Fixing;

namespace VfioKit.Rules;

/// <summary>
/// One problem in one configuration: plain data that feeds the text, JSON and SARIF outputs and `fix`
/// alike (ShellCheck's Comment + Fix).
/// </summary>
public sealed record Finding(RuleDescriptor Rule, Severity Severity, string Message, FindingLocation Location, Fix? Fix = null)
{
    public string RuleId => Rule.Id;
    public bool Fixable => Fix is not null;
}
