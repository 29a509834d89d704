using System.Runtime.InteropServices;

namespace VfioKit.Cli.Install;

/// <summary>statx(2) for the launcher's two checks (the staleness walk, and whether this process is the file the
/// launcher built): one layout on every architecture. The core's own binding is internal to the core.</summary>
internal static unsafe partial class Statx
{
    internal const int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100;
    internal const uint STATX_TYPE = 0x1, STATX_MTIME = 0x40, STATX_INO = 0x100;
    internal const int S_IFMT = 0xF000, S_IFDIR = 0x4000;

    /// <summary>struct statx, the fields these checks read; the kernel writes at most 256 bytes.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    internal struct Buffer
    {
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Inode;
        [FieldOffset(112)] public long MTimeSeconds;
        [FieldOffset(120)] public uint MTimeNanoseconds;
        [FieldOffset(136)] public uint DevMajor;
        [FieldOffset(140)] public uint DevMinor;
    }

    /// <summary>By a NUL-terminated name relative to a directory descriptor: the walk's entries, no allocation.</summary>
    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    internal static partial int Get(int dirfd, byte* path, int flags, uint mask, Buffer* buffer);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Get(int dirfd, string path, int flags, uint mask, Buffer* buffer);
}
