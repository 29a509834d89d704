namespace VfioKit.Rules;

/// <summary>How much a finding costs the user; ordered so that a threshold compares with &gt;=.</summary>
public enum Severity
{
    Info = 0,
    Warning = 1,
    Error = 2,
}

public static class SeverityNames
{
    /// <summary>"error", "warning" or "info": the words of the text, JSON and SARIF outputs.</summary>
    public static string Name(this Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "info",
    };

    public static bool TryParse(string? text, out Severity severity)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "error": severity = Severity.Error; return true;
            case "warning": severity = Severity.Warning; return true;
            case "info": severity = Severity.Info; return true;
            default: severity = Severity.Info; return false;
        }
    }
}
