namespace VfioKit.Runtime;

/// <summary>The threads of one QEMU process and how they were identified ("qmp" or "thread-names").</summary>
public sealed record QemuThreads(int Pid, string Source, IReadOnlyList<QemuThread> Threads, IReadOnlyList<string> Notes)
{
    public IEnumerable<QemuThread> Vcpus => Threads.Where(t => t.Role == ThreadRole.Vcpu).OrderBy(t => t.Vcpu);
}
