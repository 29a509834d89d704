namespace VfioKit.Run;

/// <summary>
/// Narrows a cgroup's cpuset (cgroup v2 cpuset.cpus of a systemd slice) so host tasks stay off the VM's CPUs;
/// the way back writes the old value (often empty: inherit the parent's).
/// </summary>
public sealed record CpusetLimit(string Cgroup, string Cpus, string OldCpus) : HostStep
{
    public string CpusPath => $"sys/fs/cgroup/{Cgroup}/cpuset.cpus";

    public override string Describe() => $"keep {Cgroup} on CPUs {Cpus} (was {(OldCpus.Length == 0 ? "inherited" : OldCpus)})";

    public override IReadOnlyList<string> Reads => [CpusPath];

    public override IReadOnlyList<HostWrite> Apply() => [new(CpusPath, Cpus)];

    public override string? Verify(IHostFiles files) =>
        files.ReadText(CpusPath) is var now && now == Cpus ? null : $"{CpusPath} reads {now ?? "nothing"}, not {Cpus}";

    public override IReadOnlyList<HostWrite> Undo(IHostFiles files) =>
        files.ReadText(CpusPath) == OldCpus ? [] : [new(CpusPath, OldCpus.Length == 0 ? "\n" : OldCpus)];

    public override IReadOnlyList<HostWrite> UndoAfterApply() => [new(CpusPath, OldCpus.Length == 0 ? "\n" : OldCpus)];

    public override string? VerifyUndone(IHostFiles files) =>
        files.ReadText(CpusPath) is var now && now == OldCpus ? null : $"{CpusPath} reads {now ?? "nothing"}, not {OldCpus}";
}
