using System.Runtime.InteropServices;
using System.Text;
using VfioKit.Interop;

namespace VfioKit.Files;

/// <summary>Copies every extended attribute of one open file to another: POSIX ACLs (system.posix_acl_access),
/// SELinux labels (security.selinux), user.* attributes. A replaced config keeps them.</summary>
internal static class ExtendedAttributes
{
    public static unsafe void Copy(FileDescriptor from, FileDescriptor to)
    {
        foreach (var name in Names(from))
        {
            var size = Xattr.Get(from.Fd, name, null, 0);
            if (size < 0)
            {
                if (Marshal.GetLastPInvokeError() == FileDescriptors.ENODATA) continue; // removed meanwhile
                throw FileDescriptor.Error($"getxattr {name}");
            }
            var value = new byte[size];
            fixed (byte* p = value)
            {
                var got = Xattr.Get(from.Fd, name, p, (nuint)value.Length);
                if (got < 0) throw FileDescriptor.Error($"getxattr {name}");
                if (Xattr.Set(to.Fd, name, p, (nuint)got, 0) != 0) throw FileDescriptor.Error($"setxattr {name}");
            }
        }
    }

    private static unsafe IReadOnlyList<string> Names(FileDescriptor file)
    {
        var size = Xattr.List(file.Fd, null, 0);
        if (size < 0)
        {
            if (Marshal.GetLastPInvokeError() == FileDescriptors.EOPNOTSUPP) return [];
            throw FileDescriptor.Error("listxattr");
        }
        if (size == 0) return [];
        var buffer = new byte[size];
        nint n;
        fixed (byte* p = buffer) n = Xattr.List(file.Fd, p, (nuint)buffer.Length);
        if (n < 0) throw FileDescriptor.Error("listxattr");
        return Encoding.UTF8.GetString(buffer, 0, (int)n).Split('\0', StringSplitOptions.RemoveEmptyEntries);
    }
}
