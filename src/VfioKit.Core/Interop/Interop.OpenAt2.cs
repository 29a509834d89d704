using System.Runtime.InteropServices;

namespace VfioKit.Interop;

/// <summary>openat2(2) (Linux 5.6+), which glibc does not wrap: RESOLVE_IN_ROOT resolves every path component,
/// symlinks included, as if the directory were `/`, so a snapshot cannot name files outside itself.</summary>
internal static partial class OpenAt2
{
    internal const ulong RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_IN_ROOT = 0x10;
    // The same number on every architecture (syscalls from 424 on are unified).
    private const long SYS_openat2 = 437;

    [StructLayout(LayoutKind.Sequential)]
    internal struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial long Syscall(long number, int dirfd, string path, ref OpenHow how, nuint size);

    internal static int Open(int dirfd, string path, int flags, ulong resolve)
    {
        var how = new OpenHow { Flags = (ulong)flags, Resolve = resolve };
        return (int)Syscall(SYS_openat2, dirfd, path, ref how, (nuint)Marshal.SizeOf<OpenHow>());
    }

    [LibraryImport("libc", EntryPoint = "realpath", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint RealPath(string path, nint resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(nint pointer);

    /// <summary>realpath(3): the path with every symlink resolved (against the real `/`), null when it does not resolve.</summary>
    internal static string? Resolve(string path)
    {
        var p = RealPath(path, 0);
        if (p == 0) return null;
        try { return Marshal.PtrToStringUTF8(p); }
        finally { Free(p); }
    }
}
