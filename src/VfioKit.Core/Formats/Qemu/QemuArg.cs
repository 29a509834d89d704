using VfioKit.Vm;

namespace VfioKit.Formats.Qemu;

/// <summary>One argument of a QEMU command line and where it was read.</summary>
public sealed record QemuArg(string Text, SourceLocation Location)
{
    public override string ToString() => Text;
}
