using System.Runtime.InteropServices;

namespace VfioKit.Interop;

/// <summary>flistxattr/fgetxattr/fsetxattr: extended attributes, POSIX ACLs (system.posix_acl_access) and
/// SELinux labels among them, copied from a replaced file to its replacement.</summary>
internal static partial class Xattr
{
    [LibraryImport("libc", EntryPoint = "flistxattr", SetLastError = true)]
    internal static unsafe partial nint List(int fd, byte* names, nuint size);

    [LibraryImport("libc", EntryPoint = "fgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial nint Get(int fd, string name, byte* value, nuint size);

    [LibraryImport("libc", EntryPoint = "fsetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int Set(int fd, string name, byte* value, nuint size, int flags);
}
