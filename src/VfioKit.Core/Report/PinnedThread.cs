using VfioKit.Host.Cpu;

namespace VfioKit.Report;

/// <summary>One VM thread and the host CPUs it may run on.</summary>
/// <param name="Index">The vCPU or I/O thread number; 0 for the emulator.</param>
public sealed record PinnedThread(PinnedThreadKind Kind, int Index, CpuList HostCpus)
{
    public string Id => ReportIds.Thread(Kind, Index);

    /// <summary>"vCPU 3", "emulator", "I/O thread 1".</summary>
    public string Label => Kind switch
    {
        PinnedThreadKind.Vcpu => $"vCPU {Index}",
        PinnedThreadKind.Emulator => "emulator",
        _ => $"I/O thread {Index}",
    };

    /// <summary>The few characters drawn in a host CPU's box: "v3", "em", "io1".</summary>
    public string Tag => Kind switch
    {
        PinnedThreadKind.Vcpu => $"v{Index}",
        PinnedThreadKind.Emulator => "em",
        _ => $"io{Index}",
    };
}
