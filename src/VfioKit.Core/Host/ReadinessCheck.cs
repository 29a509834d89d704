namespace VfioKit.Host;

public enum CheckStatus
{
    Pass,
    Warn,
    Fail,
}

/// <summary>One line of the readiness checklist: what was checked, the verdict, what was seen, and the fix.</summary>
public sealed record ReadinessCheck(string Id, string Title, CheckStatus Status, string Detail, string? Fix);
