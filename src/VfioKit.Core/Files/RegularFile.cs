using VfioKit.Interop;

namespace VfioKit.Files;

/// <summary>Checks a path names a readable regular file without opening anything else: the path is opened
/// O_PATH (opens nothing, follows symlinks as QEMU does), its type checked, and only a regular file is then
/// opened for reading, through /proc/self/fd, so it is the very inode that was checked. A FIFO, socket or
/// device (/dev/watchdog arms on open) is never opened.</summary>
public static class RegularFile
{
    public static bool IsReadable(string path)
    {
        if (string.IsNullOrEmpty(path) || path.Contains('\0')) return false;
        using var located = FileDescriptor.TryOpen(path, FileDescriptors.O_PATH, 0, out _);
        if (located is null) return false;
        if (Statx.OfDescriptor(located.Fd, out var stat) != 0 || !stat.IsRegular) return false;
        using var readable = FileDescriptor.TryOpen($"/proc/self/fd/{located.Fd}",
            FileDescriptors.O_RDONLY | FileDescriptors.O_NONBLOCK | FileDescriptors.O_NOCTTY, 0, out _);
        return readable is not null;
    }
}
