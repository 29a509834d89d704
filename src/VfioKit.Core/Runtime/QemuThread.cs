namespace VfioKit.Runtime;

/// <summary>What a QEMU thread does.</summary>
public enum ThreadRole
{
    /// <summary>The main loop and every thread that is not a vCPU or I/O thread (workers, RCU, VNC...).</summary>
    Emulator,
    Vcpu,
    IoThread,
}

/// <summary>One thread (task) of a QEMU process.</summary>
/// <param name="Vcpu">QEMU's cpu-index for a vCPU thread.</param>
/// <param name="IoThread">The iothread object's id for an I/O thread.</param>
public sealed record QemuThread(int ThreadId, string Name, ThreadRole Role, int? Vcpu = null, string? IoThread = null);
