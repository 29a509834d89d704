using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace VfioKit.Probe;

/// <summary>
/// An initramfs: an immutable list of cpio members written in the SVR4 "newc" format (magic 070701,
/// the only one the Linux kernel unpacks), optionally gzip-compressed. Parent directories a member
/// needs are written before it even when not added, because the kernel does not create them.
/// </summary>
public sealed class Initramfs
{
    private const string Magic = "070701";
    private const string Trailer = "TRAILER!!!";

    private readonly CpioEntry[] _entries;

    private Initramfs(CpioEntry[] entries) => _entries = entries;

    public static Initramfs Empty { get; } = new([]);

    public IReadOnlyList<CpioEntry> Entries => _entries;

    public Initramfs WithDirectory(string path, int permissions = 0x1ed /* 0755 */) =>
        With(new CpioEntry(Normalize(path), CpioEntryKind.Directory, permissions, ReadOnlyMemory<byte>.Empty));

    public Initramfs WithFile(string path, ReadOnlyMemory<byte> data, int permissions = 0x1a4 /* 0644 */) =>
        With(new CpioEntry(Normalize(path), CpioEntryKind.File, permissions, data));

    public Initramfs WithFile(string path, string text, int permissions = 0x1a4) =>
        WithFile(path, Encoding.UTF8.GetBytes(text), permissions);

    public Initramfs WithSymlink(string path, string target) =>
        With(new CpioEntry(Normalize(path), CpioEntryKind.Symlink, 0x1ff, Encoding.UTF8.GetBytes(target)));

    /// <summary>The archive bytes; gzip-compressed when <paramref name="gzip"/> (the kernel takes both).</summary>
    public byte[] ToArray(bool gzip = true)
    {
        using var buffer = new MemoryStream();
        WriteTo(buffer, gzip);
        return buffer.ToArray();
    }

    public void WriteTo(Stream destination, bool gzip = true)
    {
        if (!gzip)
        {
            WriteArchive(destination);
            return;
        }
        // Fastest level: the archive is unpacked once by a guest under TCG, where inflating is cheap
        // next to booting, and it is rebuilt for every probe.
        using var zip = new GZipStream(destination, CompressionLevel.Fastest, leaveOpen: true);
        WriteArchive(zip);
    }

    private void WriteArchive(Stream output)
    {
        var written = new HashSet<string>(StringComparer.Ordinal);
        var inode = 1;
        long offset = 0;
        foreach (var entry in _entries)
        {
            foreach (var parent in Parents(entry.Path))
                if (written.Add(parent))
                    offset = WriteMember(output, offset, new CpioEntry(parent, CpioEntryKind.Directory, 0x1ed, ReadOnlyMemory<byte>.Empty), inode++);
            written.Add(entry.Path);
            offset = WriteMember(output, offset, entry, inode++);
        }
        WriteMember(output, offset, new CpioEntry(Trailer, CpioEntryKind.File, 0, ReadOnlyMemory<byte>.Empty), 0, isTrailer: true);
    }

    private static long WriteMember(Stream output, long offset, CpioEntry entry, int inode, bool isTrailer = false)
    {
        var name = Encoding.UTF8.GetBytes(entry.Path);
        var header = new StringBuilder(110);
        header.Append(Magic);
        foreach (var field in (ReadOnlySpan<long>)
                 [
                     inode,
                     isTrailer ? 0 : entry.Mode,
                     0, 0, // uid, gid: root
                     entry.Kind == CpioEntryKind.Directory ? 2 : 1, // nlink
                     0, // mtime: fixed, so the same archive is byte-for-byte the same
                     entry.Data.Length,
                     0, 0, 0, 0, // devmajor, devminor, rdevmajor, rdevminor
                     name.Length + 1, // namesize counts the NUL
                     0, // check: unused by newc
                 ])
            header.Append(field.ToString("x8", CultureInfo.InvariantCulture));

        var headerBytes = Encoding.ASCII.GetBytes(header.ToString());
        output.Write(headerBytes);
        output.Write(name);
        output.WriteByte(0);
        offset += headerBytes.Length + name.Length + 1;
        offset = Pad(output, offset);
        output.Write(entry.Data.Span);
        offset += entry.Data.Length;
        return Pad(output, offset);
    }

    /// <summary>newc aligns the name and the data each to 4 bytes.</summary>
    private static long Pad(Stream output, long offset)
    {
        while (offset % 4 != 0)
        {
            output.WriteByte(0);
            offset++;
        }
        return offset;
    }

    private Initramfs With(CpioEntry entry)
    {
        foreach (var e in _entries)
            if (e.Path == entry.Path)
                throw new ArgumentException($"the initramfs already holds '{entry.Path}'", nameof(entry));
        return new Initramfs([.. _entries, entry]);
    }

    private static IEnumerable<string> Parents(string path)
    {
        for (var slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
            yield return path[..slash];
    }

    private static string Normalize(string path)
    {
        var p = path.Replace('\\', '/').Trim('/');
        if (p.Length == 0 || p.Split('/').Any(part => part is "" or "." or ".."))
            throw new ArgumentException($"'{path}' is not a relative path inside the archive", nameof(path));
        return p;
    }
}
