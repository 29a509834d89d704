using VfioKit.Vm;

namespace VfioKit.Formats.Qemu;

/// <summary>
/// A shell assignment as written: NAME=value or NAME+=value (<see cref="Value"/>), NAME=( ... ) or
/// NAME+=( ... ) (<see cref="Elements"/>, each a word with its own span).
/// </summary>
/// <param name="Location">Where the assignment starts (its NAME).</param>
/// <param name="Start">Offset of NAME in the text.</param>
/// <param name="End">Offset just after the value, or after an array's ')'.</param>
public sealed record ShellAssignment(string Name, bool Append, ShellWord? Value, ValueList<ShellWord>? Elements, SourceLocation Location, int Start, int End)
{
    public bool IsArray => Elements is not null;

    public int Line => Location.Line;

    /// <summary>The value's words: an array's elements, or the one value word.</summary>
    public IEnumerable<ShellWord> Words => Elements is { } e ? e : Value is { } v ? [v] : [];
}
