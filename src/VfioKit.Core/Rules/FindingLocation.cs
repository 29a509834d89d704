namespace VfioKit.Rules;

/// <summary>Where a finding points: a file ("-" for stdin) and a 1-based line (0 when the whole file).</summary>
public readonly record struct FindingLocation(string File, int Line)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}" : File;
}
