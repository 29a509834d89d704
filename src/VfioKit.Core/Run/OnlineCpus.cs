using VfioKit.Host.Cpu;

namespace VfioKit.Run;

/// <summary>The CPUs the kernel has online, read through the host files the run engine changes (so a test's
/// stand-in kernel answers it too).</summary>
public static class OnlineCpus
{
    public const string File = "sys/devices/system/cpu/online";

    /// <summary>The online CPUs, or none when the file is unreadable.</summary>
    public static CpuList Read(IHostFiles files) => CpuList.TryParse(files.ReadText(File), out var online) ? online : CpuList.Empty;
}
