using System.Runtime.InteropServices;

namespace VfioKit.Interop;

/// <summary>statx(2): one layout on every architecture, unlike struct stat, so fstat and lstat need no per-arch structs.
/// Public for the CLI's launcher checks (the staleness walk and whether this process is the file the launcher
/// built), the one binding both assemblies use.</summary>
public static unsafe partial class Statx
{
    public const int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_EMPTY_PATH = 0x1000;
    public const uint STATX_TYPE = 0x1, STATX_MTIME = 0x40, STATX_INO = 0x100, STATX_BASIC_STATS = 0x7ff;
    public const int S_IFMT = 0xF000, S_IFREG = 0x8000, S_IFDIR = 0x4000, S_IFLNK = 0xA000;

    /// <summary>struct statx up to the device numbers; the kernel writes at most 256 bytes.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    public struct Buffer
    {
        [FieldOffset(16)] public uint Nlink;
        [FieldOffset(20)] public uint Uid;
        [FieldOffset(24)] public uint Gid;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Ino;
        [FieldOffset(40)] public ulong Size;
        [FieldOffset(112)] public long MTimeSeconds;
        [FieldOffset(120)] public uint MTimeNanoseconds;
        [FieldOffset(136)] public uint DevMajor;
        [FieldOffset(140)] public uint DevMinor;

        public readonly int Type => Mode & S_IFMT;
        public readonly bool IsRegular => Type == S_IFREG;
        public readonly bool IsDirectory => Type == S_IFDIR;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Get(int dirfd, string path, int flags, uint mask, out Buffer buffer);

    /// <summary>By a NUL-terminated name relative to a directory descriptor: the launcher's walk stats every entry
    /// by the name getdents64 gave it, with no string and no allocation.</summary>
    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    public static partial int Get(int dirfd, byte* path, int flags, uint mask, out Buffer buffer);

    internal static int OfDescriptor(int fd, out Buffer buffer) => Get(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, out buffer);
}
