using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using VfioKit.Interop;

namespace VfioKit.Files;

/// <summary>
/// A directory standing for `/` (the live host, or a snapshot) whose files are opened without leaving it:
/// openat2 with RESOLVE_IN_ROOT (a symlink to /etc/shadow inside a snapshot resolves to the snapshot's own
/// etc/shadow), or, where openat2 is missing, realpath checked to stay below the root. Only regular files
/// are opened, with O_NONBLOCK and the type checked before anything is read: a FIFO or a device in a
/// snapshot (or /dev/zero linked in) is never read.
/// </summary>
public sealed class RootDirectory
{
    /// <summary>No sysfs or procfs file the host model reads comes near this; pci.ids is streamed.</summary>
    public const int MaxFileBytes = 16 << 20;

    private static bool _noOpenAt2;

    public RootDirectory(string root) => Root = Path.GetFullPath(string.IsNullOrEmpty(root) ? "/" : root);

    public string Root { get; }

    public bool IsLiveSystem => Root == "/";

    /// <summary>Opens a regular file at <paramref name="relative"/> below the root; null when it is missing,
    /// unreadable, outside the root or not a regular file.</summary>
    public SafeFileHandle? OpenRegular(string relative)
    {
        var rel = relative.Replace('\\', '/').TrimStart('/');
        if (rel.Length == 0) return null;
        const int flags = FileDescriptors.O_RDONLY | FileDescriptors.O_NONBLOCK | FileDescriptors.O_NOCTTY | FileDescriptors.O_CLOEXEC;
        int fd;
        if (IsLiveSystem) fd = FileDescriptors.Open("/" + rel, flags, 0);
        else
        {
            fd = -1;
            // The root is opened per call (O_PATH, cheap): a SysfsRoot has no Dispose to close it.
            var dirfd = Volatile.Read(ref _noOpenAt2) ? -1 : FileDescriptors.Open(Root, FileDescriptors.O_PATH | FileDescriptors.O_DIRECTORY | FileDescriptors.O_CLOEXEC, 0);
            if (dirfd >= 0)
            {
                fd = OpenAt2.Open(dirfd, rel, flags, OpenAt2.RESOLVE_IN_ROOT | OpenAt2.RESOLVE_NO_MAGICLINKS);
                // No openat2 (kernel before 5.6, or a seccomp filter that does not know it): fall back for good.
                if (fd < 0 && Marshal.GetLastPInvokeError() is FileDescriptors.ENOSYS or 1 /* EPERM */) Volatile.Write(ref _noOpenAt2, true);
                FileDescriptors.Close(dirfd);
            }
            if (Volatile.Read(ref _noOpenAt2)) fd = OpenResolvedBelowRoot(rel, flags);
        }
        if (fd < 0) return null;
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (Statx.OfDescriptor(fd, out var stat) != 0 || !stat.IsRegular)
        {
            handle.Dispose();
            return null;
        }
        return handle;
    }

    /// <summary>The whole file, at most <see cref="MaxFileBytes"/>; null when it cannot be opened or is larger.</summary>
    public byte[]? ReadAll(string relative)
    {
        using var handle = OpenRegular(relative);
        if (handle is null) return null;
        try
        {
            var buffer = new MemoryStream();
            var chunk = new byte[64 * 1024];
            while (true)
            {
                var n = RandomAccess.Read(handle, chunk, buffer.Length);
                if (n <= 0) return buffer.ToArray();
                if (buffer.Length + n > MaxFileBytes) return null;
                buffer.Write(chunk, 0, n);
            }
        }
        catch (IOException) { return null; }
    }

    private int OpenResolvedBelowRoot(string rel, int flags)
    {
        var realRoot = OpenAt2.Resolve(Root);
        var real = OpenAt2.Resolve(Path.Combine(Root, rel));
        if (realRoot is null || real is null) return -1;
        var prefix = realRoot.EndsWith('/') ? realRoot : realRoot + "/";
        if (!real.StartsWith(prefix, StringComparison.Ordinal)) return -1;
        return FileDescriptors.Open(real, flags | FileDescriptors.O_NOFOLLOW, 0);
    }
}
