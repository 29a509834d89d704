using VfioKit.Vm;

namespace VfioKit.Formats.Qemu;

/// <summary>A simple command of a shell script: its words, redirections removed, in order, and the
/// assignments written before its command word (or as its arguments, for export/local/declare).</summary>
public sealed record ShellCommand(ValueList<ShellWord> Words)
{
    public ValueList<ShellAssignment> Assignments { get; init; } = ValueList<ShellAssignment>.Empty;

    /// <summary>True when the assignments are the environment of the command word (VAR=value qemu ...), not the shell's variables.</summary>
    public bool AssignmentsArePrefixes { get; init; }

    /// <summary>The assignments' value words, then the command's words.</summary>
    public IEnumerable<ShellWord> AllWords => Assignments.SelectMany(a => a.Words).Concat(Words);

    public override string ToString() => string.Join(" ", Words);
}
