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

    /// <summary>The bytes of the regular file at <paramref name="path"/> (symlinks followed), at most <paramref name="max"/>;
    /// null with the reason when it is missing, unreadable, larger, or not a regular file. A FIFO, socket, device
    /// or directory is refused from its type alone, never opened for reading: nothing blocks or arms.</summary>
    internal static byte[]? TryReadAll(string path, long max, out string? refusal)
    {
        refusal = null;
        if (string.IsNullOrEmpty(path) || path.Contains('\0')) { refusal = "not a file name"; return null; }
        using var located = FileDescriptor.TryOpen(path, FileDescriptors.O_PATH, 0, out var errno);
        if (located is null) { refusal = errno == 2 ? "no such file" : "cannot be read: " + FileDescriptors.Describe(errno); return null; }
        if (Statx.OfDescriptor(located.Fd, out var stat) != 0) { refusal = "cannot be read: " + FileDescriptors.Describe(System.Runtime.InteropServices.Marshal.GetLastPInvokeError()); return null; }
        refusal = stat.Type switch
        {
            Statx.S_IFREG => null,
            Statx.S_IFDIR => "is a directory, not a configuration file",
            0x1000 => "is a FIFO (named pipe), not a configuration file (give - to read standard input)",
            0xC000 => "is a socket, not a configuration file",
            0x2000 or 0x6000 => "is a device file, not a configuration file",
            _ => "is not a regular file",
        };
        if (refusal is not null) return null;
        if ((long)stat.Size > max) { refusal = $"{stat.Size / 1024} KiB is too large for a VM configuration (at most {max / 1024 / 1024} MiB)"; return null; }
        // Opened through the O_PATH descriptor: the very inode whose type was checked, even if the name was swapped since.
        using var readable = FileDescriptor.TryOpen($"/proc/self/fd/{located.Fd}",
            FileDescriptors.O_RDONLY | FileDescriptors.O_NONBLOCK | FileDescriptors.O_NOCTTY, 0, out errno);
        if (readable is null) { refusal = "cannot be read: " + FileDescriptors.Describe(errno); return null; }
        try
        {
            var bytes = readable.ReadAll(max);
            if (bytes is null) refusal = $"is too large for a VM configuration (at most {max / 1024 / 1024} MiB)";
            return bytes;
        }
        catch (IOException e) { refusal = "cannot be read: " + e.Message; return null; }
    }
}
