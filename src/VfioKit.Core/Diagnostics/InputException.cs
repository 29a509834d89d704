namespace VfioKit.Diagnostics;

/// <summary>
/// Input that cannot be understood: a file, option or text, with the line and column when known.
/// The CLI turns it into "FILE:LINE:COL: message" and exit code 2.
/// </summary>
public sealed class InputException(string source, int? line, int? column, string message, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The file path, "-" for stdin, or an option name such as "--gpu".</summary>
    public string Origin { get; } = source;
    public int? Line { get; } = line;
    public int? Column { get; } = column;

    public InputException(string source, string message) : this(source, null, null, message) { }

    /// <summary>"file:line:col: message", the form compilers and linters use.</summary>
    public string Describe()
    {
        var where = Origin;
        if (Line is { } l) where += $":{l}";
        if (Line is not null && Column is { } c) where += $":{c}";
        return $"{where}: {Message}";
    }
}
