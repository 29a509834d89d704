using VfioKit.Vm;

namespace VfioKit.Formats.Qemu;

/// <summary>
/// One word of a shell command after quote removal, with the span of its raw text so an edit can replace
/// exactly that word. Expansions ($VAR, ${VAR}, $(cmd), `cmd`) are kept as written in <see cref="Text"/>
/// (vfiokit never runs the script, so `host=$NVIDIA.0` stays symbolic) and listed in <see cref="Expansions"/>
/// so a rewritten word can keep them expanding exactly as before.
/// </summary>
/// <param name="Location">Where the word starts (file, 1-based line and column, the raw token).</param>
/// <param name="Start">Offset of the raw word in the text; -1 for a word that was never text (an argv element).</param>
/// <param name="End">Offset just after the raw word.</param>
/// <param name="Style">How the word's first part was quoted (<see cref="QuoteStyle.Line"/>: a line of an argument file).</param>
public sealed record ShellWord(string Text, SourceLocation Location, int Start = -1, int End = -1, QuoteStyle Style = QuoteStyle.Bare)
{
    /// <summary>The expansions in the word, in order, as written.</summary>
    public ValueList<ShellExpansion> Expansions { get; init; } = ValueList<ShellExpansion>.Empty;

    /// <summary>The word as written after quote removal, expansions as written: what an edit rewrites.
    /// <see cref="Text"/> is what the command receives: the same, or with the script's variables resolved
    /// (host=${GPU}.1 with GPU=01:00 reads host=01:00.1).</summary>
    public string Written { get => _written ?? Text; init => _written = value; }

    private readonly string? _written;

    /// <summary>Why the word's value is known only at run time ("$@": the script's arguments), or null.</summary>
    public string? Unknown { get; init; }

    /// <summary>True when the word is text of the file an edit can replace (not a piece of a variable's value split apart).</summary>
    public bool IsEditable => Start >= 0 && Unknown is null;

    /// <summary>True when an unquoted or double-quoted expansion is part of the word.</summary>
    public bool HasExpansion => Expansions.Count > 0;

    public int Line => Location.Line;

    public int Length => End - Start;

    public override string ToString() => Text;
}

/// <summary>An expansion inside a word, as written (`$X`, `${X}`, `$(cmd)`, `` `cmd` ``), and whether it stood in double quotes.</summary>
public readonly record struct ShellExpansion(string Raw, bool InDoubleQuotes);

/// <summary>How a word was written, so a rewritten word keeps its style.</summary>
public enum QuoteStyle
{
    Bare,
    Single,
    Double,

    /// <summary>A whole line of an argument file: written as is, never quoted.</summary>
    Line,
}
