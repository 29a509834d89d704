namespace VfioKit.Fixing.Qemu;

/// <summary>
/// One shell word of a launch script: its value after quote removal (`$VARS` kept as written) and the
/// span of its raw text, so a fix can replace exactly that word and keep every other byte.
/// </summary>
public sealed record ScriptWord(string Value, int Start, int End, int Line, QuoteStyle Style)
{
    public int Length => End - Start;
}

/// <summary>How a word was quoted, so a rewritten word keeps its style.</summary>
public enum QuoteStyle
{
    Bare,
    Single,
    Double,
}
