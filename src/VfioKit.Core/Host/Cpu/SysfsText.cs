namespace VfioKit.Host.Cpu;

/// <summary>Reads sysfs/procfs files below a root directory ("/" on a live host, a snapshot in tests).
/// Only reading: the callers parse. A missing or unreadable file is null, never an exception.</summary>
public sealed class SysfsText(string root)
{
    public string Root { get; } = root;

    public string PathOf(string relative) => Path.Combine(Root, relative.TrimStart('/'));

    public string? TryRead(string relative)
    {
        try { return File.ReadAllText(PathOf(relative)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>Names of the sub-directories (or symlinks to them) of a directory, empty when it is absent.</summary>
    public IReadOnlyList<string> Directories(string relative)
    {
        try
        {
            var dir = new DirectoryInfo(PathOf(relative));
            return dir.Exists ? dir.EnumerateDirectories().Select(d => d.Name).ToArray() : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return []; }
    }

    public bool Exists(string relative) => File.Exists(PathOf(relative)) || Directory.Exists(PathOf(relative));
}
