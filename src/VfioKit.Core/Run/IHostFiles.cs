namespace VfioKit.Run;

/// <summary>The host files the engine reads and writes (sysfs, cgroupfs), by path relative to a root. The real
/// implementation is <see cref="RootedHostFiles"/>; tests put a kernel stand-in around it, since writing a
/// plain file does not bind a driver.</summary>
public interface IHostFiles
{
    /// <summary>The directory standing for `/`.</summary>
    string Root { get; }

    /// <summary>A file's text without its trailing newline, or null when it cannot be read.</summary>
    string? ReadText(string path);

    /// <summary>The last component of a symlink's target (a device's `driver` link names the driver), or null.</summary>
    string? LinkName(string path);

    /// <summary>True when <paramref name="path"/> is a directory (a cgroup, a device).</summary>
    bool IsDirectory(string path);

    /// <summary>The names of the directories in <paramref name="path"/>, sorted; none when it is not one.</summary>
    IReadOnlyList<string> Directories(string path);

    /// <summary>Writes <paramref name="value"/> to an existing file as one write(2), as sysfs expects.
    /// Also makes and removes a cgroup directory, and runs a command (<see cref="HostWriteKind"/>).</summary>
    /// <exception cref="HostChangeException">The file is missing or the write was refused.</exception>
    void Write(HostWrite write);
}
