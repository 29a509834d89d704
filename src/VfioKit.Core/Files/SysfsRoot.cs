using System.Buffers;
using System.Text;

namespace VfioKit.Files;

/// <summary>
/// The directory that stands for `/` when reading sysfs and procfs: `/` itself, or a snapshot.
/// Every read goes through it and is recorded (paths relative to the root), so that a snapshot can copy
/// exactly what the host model read. Reads never throw: a missing, vanished or unreadable file is
/// reported as false/null, since devices come and go between listing and reading.
/// </summary>
public sealed class SysfsRoot
{
    private readonly object _gate = new();
    private readonly Dictionary<string, byte[]?> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);
    private readonly HashSet<string> _streamed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _readInPart = new(StringComparer.Ordinal);

    private readonly RootDirectory _dir;

    public SysfsRoot(string root = "/")
    {
        Root = Path.GetFullPath(string.IsNullOrEmpty(root) ? "/" : root);
        _dir = new RootDirectory(Root);
    }

    /// <summary>The absolute directory standing for `/`.</summary>
    public string Root { get; }

    public bool IsLiveSystem => Root == "/";

    /// <summary>Files whose content was asked for (relative paths such as "sys/bus/pci/devices/0000:00:00.0/vendor"),
    /// with the bytes that were read, or null when the read failed. A snapshot writes these very bytes, so
    /// reading the snapshot gives the same model even for values that change (free memory, link speed).</summary>
    public IReadOnlyDictionary<string, byte[]?> FilesRead { get { lock (_gate) return new Dictionary<string, byte[]?>(_files, StringComparer.Ordinal); } }

    /// <summary>Paths whose link target was read (a device's driver link) or whose existence was asked.</summary>
    public IReadOnlyCollection<string> EntriesProbed { get { lock (_gate) return [.. _entries]; } }

    /// <summary>Files read as a stream without keeping their bytes (large, unchanging files such as pci.ids);
    /// a snapshot copies them whole from the root.</summary>
    public IReadOnlyCollection<string> FilesStreamed { get { lock (_gate) return [.. _streamed]; } }

    /// <summary>Files read only in ranges (config spaces, walked as lspci walks them): a snapshot copies them
    /// whole, so a bug report carries every byte, not zeros where the model did not look.</summary>
    public IReadOnlyCollection<string> FilesReadInPart { get { lock (_gate) return [.. _readInPart]; } }

    /// <summary>Directories that were listed.</summary>
    public IReadOnlyCollection<string> DirectoriesListed { get { lock (_gate) return [.. _directories]; } }

    /// <summary>The absolute path of a path relative to the root ("/sys/x" and "sys/x" are the same).</summary>
    public string Resolve(string path) => Path.Combine(Root, Normalize(path));

    /// <summary>Reads a whole text file, trimmed of its trailing newline.</summary>
    public bool TryReadText(string path, out string text)
    {
        text = "";
        if (!TryReadBytes(path, int.MaxValue, out var bytes)) return false;
        text = Encoding.UTF8.GetString(bytes).TrimEnd('\n', '\r', '\0', ' ');
        return true;
    }

    /// <summary>The text of a file, or null when it cannot be read.</summary>
    public string? ReadTextOrNull(string path) => TryReadText(path, out var t) ? t : null;

    /// <summary>Reads at most <paramref name="max"/> bytes (sysfs reports 4096 as the size of every attribute,
    /// so the length is what a read returns, not what stat says).</summary>
    public bool TryReadBytes(string path, int max, out byte[] bytes)
    {
        bytes = [];
        var rel = Normalize(path);
        // Regular files below the root only (docs/host.md): no FIFO, device or link out of a snapshot, at most 16 MiB.
        var limit = Math.Min(max, RootDirectory.MaxFileBytes);
        using var handle = _dir.OpenRegular(rel);
        if (handle is null)
        {
            lock (_gate) _files.TryAdd(rel, null);
            return false;
        }
        // One shared scratch buffer and an exact-size copy: a fresh 4 KiB array per attribute costs the
        // process a page fault each (hundreds of files), the bytes themselves are a few dozen.
        var scratch = ArrayPool<byte>.Shared.Rent(Math.Clamp(max, 1, 4096));
        try
        {
            var sysfs = rel.StartsWith("sys/", StringComparison.Ordinal);
            var have = 0;
            while (have < limit)
            {
                if (have == scratch.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)scratch.Length * 2, limit));
                    scratch.AsSpan(0, have).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(scratch);
                    scratch = larger;
                }
                var asked = Math.Min(scratch.Length, limit) - have;
                var n = RandomAccess.Read(handle, scratch.AsSpan(have, asked), have);
                if (n <= 0) break;
                have += n;
                // A sysfs attribute is produced whole by one read: a short read is its end (saves a syscall per file;
                // procfs files may come in pieces, so they are read to EOF).
                if (n < asked && sysfs) break;
            }
            if (have == RootDirectory.MaxFileBytes && max > RootDirectory.MaxFileBytes && RandomAccess.Read(handle, scratch.AsSpan(0, 1), have) > 0)
            {
                lock (_gate) _files.TryAdd(rel, null); // larger than any sysfs or procfs file: not read
                return false;
            }
            bytes = scratch.AsSpan(0, have).ToArray();
            lock (_gate) _files[rel] = bytes;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            lock (_gate) _files.TryAdd(rel, null);
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>Reads only the byte ranges <paramref name="walk"/> asks for (see <see cref="FileRanges"/>); walk returns how
    /// long the content is. The recorded bytes (for a snapshot) are zero where nothing was read.</summary>
    public bool TryReadRanges(string path, int max, Func<FileRanges, int> walk, out byte[] bytes)
    {
        bytes = [];
        var rel = Normalize(path);
        try
        {
            using var handle = _dir.OpenRegular(rel) ?? throw new IOException("not a regular file below the root");
            var file = new FileRanges(handle, (int)Math.Min(RandomAccess.GetLength(handle), max));
            bytes = file.Take(walk(file));
            lock (_gate) { _files[rel] = bytes; _readInPart.Add(rel); }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            lock (_gate) _files.TryAdd(rel, null);
            return false;
        }
    }

    /// <summary>Reads a file in 64 KiB chunks until its end or until <paramref name="chunk"/> returns false, keeping
    /// nothing: for large files that do not change while the host runs (pci.ids), so they cost no memory.</summary>
    public bool TryStream(string path, Func<ReadOnlySpan<byte>, bool> chunk)
    {
        var rel = Normalize(path);
        try
        {
            using var handle = _dir.OpenRegular(rel);
            if (handle is null) return false;
            lock (_gate) _streamed.Add(rel);
            var buffer = new byte[65536];
            long offset = 0;
            while (true)
            {
                var n = RandomAccess.Read(handle, buffer, offset);
                if (n <= 0 || !chunk(buffer.AsSpan(0, n))) break;
                offset += n;
            }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The target of a symbolic link as written in it (e.g. "../../../bus/pci/drivers/vfio-pci").</summary>
    public bool TryReadLink(string path, out string target)
    {
        target = "";
        var rel = Normalize(path);
        Record(_entries, rel);
        try
        {
            var info = new FileInfo(Path.Combine(Root, rel));
            if (info.LinkTarget is not { } t) return false;
            target = t;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The last path component of a link's target: the driver or group a link names.</summary>
    public string? ReadLinkNameOrNull(string path) =>
        TryReadLink(path, out var t) ? Path.GetFileName(t.TrimEnd('/')) : null;

    /// <summary>The names in a directory, sorted ordinally; false when it does not exist or cannot be listed.</summary>
    public bool TryList(string path, out IReadOnlyList<string> names)
    {
        names = [];
        var rel = Normalize(path);
        Record(_directories, rel);
        try
        {
            var dir = Path.Combine(Root, rel);
            if (!Directory.Exists(dir)) return false;
            var list = new List<string>();
            foreach (var entry in Directory.EnumerateFileSystemEntries(dir)) list.Add(Path.GetFileName(entry));
            list.Sort(StringComparer.Ordinal);
            names = list;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The names in a directory, or none.</summary>
    public IReadOnlyList<string> ListOrEmpty(string path) => TryList(path, out var names) ? names : [];

    /// <summary>Whether a path exists (file, directory or link); recorded like a listing of its parent entry.</summary>
    public bool Exists(string path)
    {
        var rel = Normalize(path);
        Record(_entries, rel);
        var full = Path.Combine(Root, rel);
        return File.Exists(full) || Directory.Exists(full) || new FileInfo(full).LinkTarget is not null;
    }

    private void Record(HashSet<string> set, string rel)
    {
        lock (_gate) set.Add(rel);
    }

    internal static string Normalize(string path) => path.Replace('\\', '/').TrimStart('/');
}
