namespace VfioKit.Behaviour.Qemu;

public enum ProblemSeverity
{
    /// <summary>QEMU refuses to start with this configuration.</summary>
    Error,
    /// <summary>QEMU starts, but the guest will miss something (a function, a device behind a port).</summary>
    Warning,
}
