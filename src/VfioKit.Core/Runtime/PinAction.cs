using VfioKit.Host.Cpu;

namespace VfioKit.Runtime;

/// <summary>One thread's affinity change: before (now) and after (planned); <see cref="Actual"/> is what the
/// kernel reports after the change (Cpus_allowed_list), null before applying or when the thread is gone.</summary>
public sealed record PinAction(QemuThread Thread, CpuList Before, CpuList After, CpuList? Actual = null)
{
    public bool Changes => !Before.Equals(After);
    public bool Matches => Actual is not null && Actual.Equals(After);
}
