using System.Text;

namespace VfioKit.Run;

/// <summary>Host files below a root directory: `/` on a live host, a copy of a snapshot in rehearsals and tests.</summary>
public sealed class RootedHostFiles(string root) : IHostFiles
{
    public string Root { get; } = Path.GetFullPath(root);

    public string FullPath(string path) => Path.Combine(Root, path.TrimStart('/'));

    public string? ReadText(string path)
    {
        var full = FullPath(path);
        if (!File.Exists(full)) return null;
        try { return File.ReadAllText(full).TrimEnd('\n'); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    public string? LinkName(string path)
    {
        try
        {
            var target = new FileInfo(FullPath(path)).LinkTarget;
            return target is null ? null : Path.GetFileName(target.TrimEnd('/'));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    public void Write(HostWrite write)
    {
        var full = FullPath(write.Path);
        try
        {
            // FileMode.Open, never Create: a sysfs attribute that is not there means the device or driver is
            // gone, and creating a plain file in its place would hide that.
            using var handle = File.OpenHandle(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            RandomAccess.Write(handle, Encoding.UTF8.GetBytes(write.Value), 0);
            // Plain files in a rehearsal tree keep old bytes past the new end; sysfs has no length to set.
            if (!full.StartsWith("/sys/", StringComparison.Ordinal)) RandomAccess.SetLength(handle, Encoding.UTF8.GetByteCount(write.Value));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new HostChangeException($"{write} failed: {e.Message}", e);
        }
    }
}
