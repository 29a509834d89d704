namespace VfioKit.Report;

/// <summary>The QEMU threads a VM pins: one per vCPU, the emulator (main loop), and I/O threads.</summary>
public enum PinnedThreadKind
{
    Vcpu,
    Emulator,
    IoThread,
}
