namespace VfioKit.Run;

/// <summary>
/// Keeps a systemd slice's tasks on <see cref="Cpus"/> the way systemd wants it changed, `systemctl set-property
/// --runtime SLICE AllowedCPUs=...` (a direct cpuset.cpus write would be undone by systemd on its next
/// daemon-reload). Read back from the slice's cpuset.cpus, where systemd puts AllowedCPUs on cgroup v2; the way
/// back sets the old value ("AllowedCPUs=" when it was unset: no restriction).
/// </summary>
/// <param name="OldCpus">cpuset.cpus before (empty: unset, the parent's CPUs).</param>
public sealed record SliceAllowedCpus(string Slice, string Cpus, string OldCpus) : HostStep
{
    /// <summary>How long systemd may take to carry a property into the cgroup (it does so from its event loop,
    /// not before systemctl returns).</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    public string CpusPath => $"sys/fs/cgroup/{Slice}/cpuset.cpus";

    public override string Describe() => $"keep {Slice} on CPUs {Cpus} with systemd AllowedCPUs (was {(OldCpus.Length == 0 ? "unset" : OldCpus)})";

    public override IReadOnlyList<string> Reads => [CpusPath];

    public static HostWrite SetProperty(string slice, string cpus) =>
        HostWrite.Command(["systemctl", "set-property", "--runtime", "--", slice, $"AllowedCPUs={cpus}"]);

    public override IReadOnlyList<HostWrite> Apply() => [SetProperty(Slice, Cpus)];

    public override string? Verify(IHostFiles files) =>
        Await(files, Cpus) is var now && now == Cpus ? null : $"{CpusPath} reads {(now.Length == 0 ? "nothing" : now)}, not {Cpus}";

    public override IReadOnlyList<HostWrite> Undo(IHostFiles files) => Now(files) == OldCpus ? [] : [SetProperty(Slice, OldCpus)];

    public override IReadOnlyList<HostWrite> UndoAfterApply() => [SetProperty(Slice, OldCpus)];

    public override string? VerifyUndone(IHostFiles files) =>
        Await(files, OldCpus) is var now && now == OldCpus ? null : $"{CpusPath} reads {(now.Length == 0 ? "nothing" : now)}, not {(OldCpus.Length == 0 ? "nothing" : OldCpus)}";

    private string Now(IHostFiles files) => files.ReadText(CpusPath) ?? "";

    private string Await(IHostFiles files, string wanted)
    {
        var deadline = DateTime.UtcNow + Settle;
        var now = Now(files);
        while (now != wanted && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(100);
            now = Now(files);
        }
        return now;
    }
}
