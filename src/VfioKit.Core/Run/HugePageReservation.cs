namespace VfioKit.Run;

/// <summary>
/// Raises a huge page pool (per NUMA node, or the global pool when <see cref="Node"/> is null) from
/// <see cref="OldCount"/> to <see cref="Count"/>. The kernel may grant fewer pages than asked (memory too
/// fragmented): the read-back catches that, and the way back writes the old count.
/// </summary>
public sealed record HugePageReservation(int? Node, long PageKiB, long OldCount, long Count) : HostStep
{
    public string CountPath => $"{HostChangePlanner.PoolOf(Node, PageKiB)}/nr_hugepages";

    public override string Describe() =>
        $"reserve {Count - OldCount} huge pages of {PageKiB} KiB on {(Node is { } n ? $"node {n}" : "the host")} ({OldCount} -> {Count})";

    public override IReadOnlyList<string> Reads => [CountPath];

    public override IReadOnlyList<HostWrite> Apply() => [new(CountPath, Count.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    public override string? Verify(IHostFiles files) =>
        Now(files) is var now && now >= Count ? null : $"the kernel granted {(now ?? 0) - OldCount} of {Count - OldCount} huge pages of {PageKiB} KiB{(Node is { } n ? $" on node {n}" : "")}";

    public override IReadOnlyList<HostWrite> Undo(IHostFiles files) =>
        Now(files) == OldCount ? [] : [new(CountPath, OldCount.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    public override IReadOnlyList<HostWrite> UndoAfterApply() => [new(CountPath, OldCount.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    public override string? VerifyUndone(IHostFiles files) =>
        Now(files) is var now && now == OldCount ? null : $"{CountPath} is {now?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unreadable"}, not {OldCount}";

    private long? Now(IHostFiles files) => long.TryParse(files.ReadText(CountPath), out var v) ? v : null;
}
