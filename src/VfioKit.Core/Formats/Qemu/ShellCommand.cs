using VfioKit.Vm;

namespace VfioKit.Formats.Qemu;

/// <summary>A simple command of a shell script: its words, redirections removed, in order.</summary>
public sealed record ShellCommand(ValueList<ShellWord> Words)
{
    public override string ToString() => string.Join(" ", Words);
}
