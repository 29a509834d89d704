namespace VfioKit.Run;

/// <summary>Where a step is: written down (it may have been made in part), made and verified, or undone.</summary>
public enum StepState { Planned, Applied, Undone }

/// <summary>One step of a journal with its state.</summary>
public sealed record JournalEntry(HostStep Step, StepState State);

/// <summary>
/// What a run or hook changed on the host, written before each change so that `vfiokit restore` can undo exactly
/// that, in reverse, even after a crash or a power cut.
/// </summary>
/// <param name="Name">The VM's name: the journal's file name.</param>
/// <param name="Root">The root the steps were made under ("/" on a live host).</param>
public sealed record Journal(int Version, string Name, string Root, DateTimeOffset Started, IReadOnlyList<JournalEntry> Entries)
{
    public const int CurrentVersion = 1;

    public static Journal Start(string name, string root, DateTimeOffset now) => new(CurrentVersion, name, root, now, []);

    public Journal With(int index, StepState state) =>
        this with { Entries = [.. Entries.Select((e, i) => i == index ? e with { State = state } : e)] };

    public Journal Add(HostStep step) => this with { Entries = [.. Entries, new JournalEntry(step, StepState.Planned)] };

    public bool AllUndone => Entries.All(e => e.State == StepState.Undone);

    /// <summary>The QEMU a run started, once it runs (null before, and for the libvirt hook).</summary>
    public QemuProcess? Qemu { get; init; }

    /// <summary>The QMP socket of the QEMU a run is starting, journaled before it starts: a vfiokit killed between
    /// starting QEMU and journaling its pid leaves `restore` a way to find that QEMU (by its -qmp argument).</summary>
    public string? QemuStarting { get; init; }
}
