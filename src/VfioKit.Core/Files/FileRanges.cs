using Microsoft.Win32.SafeHandles;

namespace VfioKit.Files;

/// <summary>
/// Chosen byte ranges of one open file, read on demand into a buffer of the file's size (at most a given cap);
/// bytes never asked for stay zero. For PCI config space, where every dword read traps to the kernel (and in a
/// VM to the hypervisor): a reader walks the capability chains and reads only what it decodes, as lspci does.
/// </summary>
public sealed class FileRanges
{
    private readonly SafeFileHandle _handle;
    private readonly byte[] _buffer;

    internal FileRanges(SafeFileHandle handle, int size)
    {
        _handle = handle;
        _buffer = new byte[size];
        ReadableEnd = size;
    }

    /// <summary>The file's size, capped: the most bytes any range can reach.</summary>
    public int Size => _buffer.Length;

    /// <summary>Where the readable bytes end: <see cref="Size"/> unless a read came back short (sysfs gives a
    /// non-root reader only the first 64 bytes of config space).</summary>
    public int ReadableEnd { get; private set; }

    /// <summary>The buffer (zero where nothing was read).</summary>
    public ReadOnlySpan<byte> Bytes => _buffer;

    /// <summary>Reads <paramref name="count"/> bytes at <paramref name="offset"/>; false when they are not all there.</summary>
    public bool Read(int offset, int count)
    {
        if (count <= 0) return true;
        if (offset < 0 || offset + count > ReadableEnd) return false;
        var have = 0;
        while (have < count)
        {
            var n = RandomAccess.Read(_handle, _buffer.AsSpan(offset + have, count - have), offset + have);
            if (n <= 0)
            {
                ReadableEnd = offset + have;
                return false;
            }
            have += n;
        }
        return true;
    }

    /// <summary>The bytes up to <paramref name="end"/> (cut at <see cref="ReadableEnd"/>), as the file's content.</summary>
    internal byte[] Take(int end)
    {
        var length = Math.Clamp(end, 0, ReadableEnd);
        return length == _buffer.Length ? _buffer : _buffer[..length];
    }
}
