using System.Runtime.InteropServices;

namespace VfioKit.Interop;

/// <summary>statx(2): one layout on every architecture, unlike struct stat, so fstat and lstat need no per-arch structs.</summary>
internal static partial class Statx
{
    internal const int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_EMPTY_PATH = 0x1000;
    internal const uint STATX_BASIC_STATS = 0x7ff;
    internal const int S_IFMT = 0xF000, S_IFREG = 0x8000, S_IFDIR = 0x4000, S_IFLNK = 0xA000;

    /// <summary>struct statx up to the device numbers; the kernel writes at most 256 bytes.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    internal struct Buffer
    {
        [FieldOffset(16)] public uint Nlink;
        [FieldOffset(20)] public uint Uid;
        [FieldOffset(24)] public uint Gid;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Ino;
        [FieldOffset(40)] public ulong Size;
        [FieldOffset(136)] public uint DevMajor;
        [FieldOffset(140)] public uint DevMinor;

        public readonly int Type => Mode & S_IFMT;
        public readonly bool IsRegular => Type == S_IFREG;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Get(int dirfd, string path, int flags, uint mask, out Buffer buffer);

    internal static int OfDescriptor(int fd, out Buffer buffer) => Get(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, out buffer);
}
