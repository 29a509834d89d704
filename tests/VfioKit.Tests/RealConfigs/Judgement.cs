namespace VfioKit.Tests.RealConfigs;

/// <summary>One line of Data/RealConfigs/EXPECTED.tsv: an expert's verdict on one finding (or on whether a file
/// reads, or on a fix's claim) for one real configuration. <see cref="Line"/> 0 matches any line.</summary>
public sealed record Judgement(int TsvLine, string File, string Rule, int Line, string Verdict, string Owner, string Reason)
{
    public const string Expected = "expected";
    public const string FalseAlarm = "false-alarm";
    public const string Missed = "missed";
    public const string Invalid = "invalid";
    public const string FalseClaim = "false-claim";

    /// <summary>The pseudo rule of a file's readability verdict.</summary>
    public const string Read = "READ";

    /// <summary>The prefix of a fix-claim verdict: FIX:VK108.</summary>
    public const string FixPrefix = "FIX:";

    public bool IsFinding => Rule != Read && !Rule.StartsWith(FixPrefix, StringComparison.Ordinal);

    public bool Matches(Finding f) => f.Rule == Rule && (Line == 0 || f.Line == Line);

    public override string ToString() => $"EXPECTED.tsv line {TsvLine}: {File} {Rule} L{Line} {Verdict} ({Owner}): {Reason}";
}

/// <summary>A finding as `lint --json` prints it: the part a verdict is about.</summary>
public sealed record Finding(string Rule, int Line, string Message)
{
    public override string ToString() => $"{Rule} L{Line}: {Message}";
}
