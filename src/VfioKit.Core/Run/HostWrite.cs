using VfioKit.Formats.Qemu;

namespace VfioKit.Run;

/// <summary>What a <see cref="HostWrite"/> does to the host.</summary>
public enum HostWriteKind
{
    /// <summary>One write(2) of <see cref="HostWrite.Value"/> to an existing file.</summary>
    Write,
    /// <summary>mkdir of a cgroup (the kernel makes its interface files).</summary>
    MakeDirectory,
    /// <summary>rmdir of a cgroup (refused by the kernel while a process is in it).</summary>
    RemoveDirectory,
    /// <summary>A program run from <see cref="HostWrite.Argv"/> (systemctl on a host run by systemd).</summary>
    Command,
}

/// <summary>One change to a sysfs or cgroup file, relative to the root ("sys/bus/pci/drivers_probe"), or a command
/// that changes the host. What a dry run prints, what the engine performs, and what a test compares: the same
/// value in all three.</summary>
public sealed record HostWrite(string Path, string Value, HostWriteKind Kind = HostWriteKind.Write)
{
    /// <summary>For <see cref="HostWriteKind.Command"/>: the program and its arguments (run as an array, never a shell string).</summary>
    public IReadOnlyList<string> Argv { get; init; } = [];

    public static HostWrite MakeDirectory(string path) => new(path, "", HostWriteKind.MakeDirectory);

    public static HostWrite RemoveDirectory(string path) => new(path, "", HostWriteKind.RemoveDirectory);

    public static HostWrite Command(IReadOnlyList<string> argv) => new(argv[0], "", HostWriteKind.Command) { Argv = argv };

    /// <summary>`write /sys/... "value"` (the absolute path on the real host, the value quoted so an empty one shows),
    /// `mkdir /sys/...`, `rmdir /sys/...`, or `run ARGV` (quoted for reading).</summary>
    public override string ToString() => Kind switch
    {
        HostWriteKind.MakeDirectory => $"mkdir /{Path}",
        HostWriteKind.RemoveDirectory => $"rmdir /{Path}",
        HostWriteKind.Command => "run " + string.Join(' ', Argv.Select(ShellQuoting.Literal)),
        _ => $"write /{Path} \"{Value.Replace("\n", "\\n", StringComparison.Ordinal)}\"",
    };
}
