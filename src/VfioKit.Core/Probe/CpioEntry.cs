namespace VfioKit.Probe;

/// <summary>One member of a newc cpio archive: a directory, a regular file or a symbolic link.</summary>
/// <param name="Path">Relative path inside the archive, '/'-separated, no leading '/' ("bin/busybox").</param>
/// <param name="Kind">What the member is.</param>
/// <param name="Permissions">The permission bits (0755, 0644, ...); symlinks are always 0777.</param>
/// <param name="Data">File contents, or the link target's bytes for a symlink; empty for a directory.</param>
public sealed record CpioEntry(string Path, CpioEntryKind Kind, int Permissions, ReadOnlyMemory<byte> Data)
{
    /// <summary>The st_mode value: file-type bits (S_IFDIR, S_IFREG, S_IFLNK) and permissions.</summary>
    public int Mode => Kind switch
    {
        CpioEntryKind.Directory => 0x4000,
        CpioEntryKind.File => 0x8000,
        CpioEntryKind.Symlink => 0xA000,
        _ => throw new ArgumentOutOfRangeException(nameof(Kind)),
    } | (Permissions & 0xfff);
}

public enum CpioEntryKind
{
    Directory,
    File,
    Symlink,
}
