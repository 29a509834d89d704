using System.Runtime.InteropServices;
using VfioKit.Interop;

namespace VfioKit.Files;

/// <summary>An open file descriptor, closed on dispose; errors surface as <see cref="IOException"/> carrying errno
/// text, and callers add the file name.</summary>
internal sealed class FileDescriptor : IDisposable
{
    public int Fd { get; private set; }

    private FileDescriptor(int fd) => Fd = fd;

    /// <summary>open(2); errno on failure (no exception) so callers can tell EEXIST from the rest.</summary>
    public static FileDescriptor? TryOpen(string path, int flags, uint mode, out int errno)
    {
        while (true)
        {
            var fd = FileDescriptors.Open(path, flags | FileDescriptors.O_CLOEXEC, mode);
            if (fd >= 0) { errno = 0; return new FileDescriptor(fd); }
            errno = Marshal.GetLastPInvokeError();
            if (errno != FileDescriptors.EINTR) return null;
        }
    }

    internal static FileDescriptor Adopt(int fd) => new(fd);

    public Statx.Buffer Stat()
    {
        if (Statx.OfDescriptor(Fd, out var b) != 0) throw Error("stat");
        return b;
    }

    /// <summary>Reads to end of file, at most <paramref name="max"/> bytes; null when the file is longer.</summary>
    public unsafe byte[]? ReadAll(long max)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        while (true)
        {
            nint n;
            fixed (byte* p = chunk) n = FileDescriptors.Read(Fd, p, (nuint)chunk.Length);
            if (n < 0)
            {
                if (Marshal.GetLastPInvokeError() == FileDescriptors.EINTR) continue;
                throw Error("read");
            }
            if (n == 0) return buffer.ToArray();
            if (buffer.Length + n > max) return null;
            buffer.Write(chunk, 0, (int)n);
        }
    }

    public unsafe void WriteAll(ReadOnlySpan<byte> bytes)
    {
        fixed (byte* start = bytes)
        {
            var done = 0;
            while (done < bytes.Length)
            {
                var n = FileDescriptors.Write(Fd, start + done, (nuint)(bytes.Length - done));
                if (n < 0)
                {
                    if (Marshal.GetLastPInvokeError() == FileDescriptors.EINTR) continue;
                    throw Error("write");
                }
                done += (int)n;
            }
        }
    }

    public void Sync()
    {
        if (FileDescriptors.Fsync(Fd) != 0) throw Error("fsync");
    }

    public void Own(uint uid, uint gid)
    {
        if (FileDescriptors.Fchown(Fd, uid, gid) != 0) throw Error("chown");
    }

    public void Chmod(uint mode)
    {
        if (FileDescriptors.Fchmod(Fd, mode) != 0) throw Error("chmod");
    }

    /// <summary>The errno of the last call as an exception: "write: No space left on device".</summary>
    public static IOException Error(string call)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call}: {FileDescriptors.Describe(errno)}", errno);
    }

    public void Dispose()
    {
        if (Fd >= 0) FileDescriptors.Close(Fd);
        Fd = -1;
    }
}
