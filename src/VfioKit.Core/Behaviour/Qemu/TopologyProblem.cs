using VfioKit.Vm;

namespace VfioKit.Behaviour.Qemu;

/// <summary>Something QEMU would reject or the guest would not see, with the device and where it was configured.</summary>
public sealed record TopologyProblem(ProblemSeverity Severity, string Message, string? Device = null, SourceLocation? Source = null)
{
    public override string ToString() =>
        $"{(Source is null ? "" : Source + ": ")}{Severity.ToString().ToLowerInvariant()}: {Message}";
}
