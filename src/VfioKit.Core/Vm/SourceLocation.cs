namespace VfioKit.Vm;

/// <summary>Where something was read: file (or "argv"), 1-based line and column, and the token as written.</summary>
public sealed record SourceLocation(string File, int Line, int Column = 0, string? Token = null)
{
    public override string ToString() => Column > 0 ? $"{File}:{Line}:{Column}" : $"{File}:{Line}";
}
