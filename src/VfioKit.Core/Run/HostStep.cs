using System.Text.Json.Serialization;

namespace VfioKit.Run;

/// <summary>
/// One host change, immutable: what it changes, the state before it (read first, kept in the journal) and how to
/// get back. <see cref="Undo"/> is computed from what the host holds now, not replayed from a list, so it is right
/// whether the change was made in full, in part or not at all (a crash between journal and change), and running it
/// twice does nothing the second time.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(DriverBinding), "driver")]
[JsonDerivedType(typeof(HugePageReservation), "hugepages")]
[JsonDerivedType(typeof(CpusetLimit), "cpuset")]
[JsonDerivedType(typeof(SliceAllowedCpus), "allowedcpus")]
[JsonDerivedType(typeof(QemuCgroup), "cgroup")]
public abstract record HostStep
{
    /// <summary>One line for people: "bind 0000:81:00.0 to vfio-pci (from virtio-pci)".</summary>
    public abstract string Describe();

    /// <summary>The files this step reads before changing anything (to record the old state).</summary>
    public abstract IReadOnlyList<string> Reads { get; }

    /// <summary>The writes that make the change, in order.</summary>
    public abstract IReadOnlyList<HostWrite> Apply();

    /// <summary>Null when the host now shows the change; else what it shows instead.</summary>
    public abstract string? Verify(IHostFiles files);

    /// <summary>The writes that bring the host from its present state back to the old one (none when it is there).</summary>
    public abstract IReadOnlyList<HostWrite> Undo(IHostFiles files);

    /// <summary>The way back from the state a complete <see cref="Apply"/> leaves (what a dry run shows).</summary>
    public abstract IReadOnlyList<HostWrite> UndoAfterApply();

    /// <summary>Null when the host is back in the old state; else what differs.</summary>
    public abstract string? VerifyUndone(IHostFiles files);
}
