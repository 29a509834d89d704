using System.Runtime.InteropServices;

namespace VfioKit.Interop;

/// <summary>open(2), read/write, fsync, fchown/fchmod, rename and unlink on raw descriptors: .NET's file API
/// cannot say O_NOFOLLOW or O_EXCL|O_NOFOLLOW, which safe file replacement and root-confined reads need.</summary>
internal static partial class FileDescriptors
{
    // Linux generic values (x86_64, aarch64, riscv64 share them for these flags).
    internal const int O_PATH = 0x200000, O_RDONLY = 0, O_WRONLY = 1, O_CREAT = 0x40, O_EXCL = 0x80, O_NOCTTY = 0x100, O_NONBLOCK = 0x800;
    internal const int O_CLOEXEC = 0x80000;
    // These two differ on arm/arm64.
    internal static readonly int O_NOFOLLOW = IsArm ? 0x8000 : 0x20000;
    internal static readonly int O_DIRECTORY = IsArm ? 0x4000 : 0x10000;
    private static bool IsArm => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;

    internal const int EEXIST = 17, EINTR = 4, ELOOP = 40, ENOSYS = 38, EXDEV = 18, ENODATA = 61, EOPNOTSUPP = 95, ERANGE = 34;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    internal static unsafe partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    internal static unsafe partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    internal static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "fchown", SetLastError = true)]
    internal static partial int Fchown(int fd, uint uid, uint gid);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    internal static partial int Fchmod(int fd, uint mode);

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Rename(string from, string to);

    [LibraryImport("libc", EntryPoint = "unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Unlink(string path);

    internal const uint RENAME_NOREPLACE = 1;

    /// <summary>renameat2(2) with RENAME_NOREPLACE: creates a new file's name atomically, never over an existing one.</summary>
    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int RenameAt2(int olddirfd, string oldpath, int newdirfd, string newpath, uint flags);

    /// <summary>The text of an errno ("No space left on device").</summary>
    internal static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
