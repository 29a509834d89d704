namespace VfioKit.Formats.Proxmox;

/// <summary>
/// One line of a qemu-server config as read: its place in the text (so edits touch only it), and for
/// `key: value` lines the key and value. <paramref name="Section"/> is null for the VM's current
/// configuration and the section name (a snapshot, "PENDING", "special:cloudinit") after a `[name]` header.
/// </summary>
public sealed record ProxmoxLine(int Number, int Offset, int Length, string Text, string? Section, string? Key, string? Value)
{
    /// <summary>Offset just past the line's end-of-line characters.</summary>
    public int EndWithNewline { get; init; } = Offset + Length;

    public bool IsEntry => Key is not null;
}
