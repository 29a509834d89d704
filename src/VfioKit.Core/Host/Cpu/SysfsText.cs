using VfioKit.Files;
namespace VfioKit.Host.Cpu;

/// <summary>Reads sysfs/procfs files below a root directory ("/" on a live host, a snapshot in tests).
/// Only reading: the callers parse. A missing or unreadable file is null, never an exception.
/// Built from a <see cref="SysfsRoot"/>, every read goes through it and is recorded, so `vfiokit snapshot`
/// copies the CPU and NUMA files too.</summary>
public sealed class SysfsText
{
    private readonly SysfsRoot? _recorded;

    // Absolute once: a relative root would make every open resolve the working directory again.
    public SysfsText(string root)
    {
        Root = Path.GetFullPath(root);
        _dir = new VfioKit.Files.RootDirectory(Root);
    }

    private readonly VfioKit.Files.RootDirectory _dir;

    public SysfsText(SysfsRoot root) : this(root.Root) => _recorded = root;

    public string Root { get; }

    public string PathOf(string relative) => Path.Combine(Root, relative.TrimStart('/'));

    public string? TryRead(string relative)
    {
        if (_recorded is not null) return _recorded.TryReadBytes(relative, int.MaxValue, out var bytes) ? System.Text.Encoding.UTF8.GetString(bytes) : null;
        // Regular files below the root only, at most 16 MiB (a FIFO or /dev/zero in a snapshot is not read).
        return _dir.ReadAll(relative) is { } content ? System.Text.Encoding.UTF8.GetString(content) : null;
    }

    /// <summary>Names of the sub-directories (or symlinks to them) of a directory, empty when it is absent.</summary>
    public IReadOnlyList<string> Directories(string relative)
    {
        if (_recorded is not null)
            return _recorded.ListOrEmpty(relative).Where(name => Directory.Exists(PathOf($"{relative}/{name}"))).ToArray();
        try
        {
            var dir = new DirectoryInfo(PathOf(relative));
            return dir.Exists ? dir.EnumerateDirectories().Select(d => d.Name).ToArray() : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return []; }
    }

    public bool Exists(string relative) =>
        _recorded?.Exists(relative) ?? (File.Exists(PathOf(relative)) || Directory.Exists(PathOf(relative)));
}
