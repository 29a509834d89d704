using VfioKit.Vm;

namespace VfioKit.Formats.Qemu;

/// <summary>
/// One word of a shell command after quote removal. Expansions ($VAR, ${VAR}, $(cmd), `cmd`) are kept
/// as written: vfiokit never runs the script, so `host=$NVIDIA.0` stays symbolic.
/// </summary>
/// <param name="Location">Where the word starts (file, 1-based line and column, the raw token).</param>
/// <param name="HasExpansion">True when an unquoted or double-quoted expansion is part of the word.</param>
public sealed record ShellWord(string Text, SourceLocation Location, bool HasExpansion = false)
{
    public override string ToString() => Text;
}
