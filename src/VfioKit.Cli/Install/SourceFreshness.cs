using System.Runtime.InteropServices;
using VfioKit.Interop;

namespace VfioKit.Cli.Install;

/// <summary>
/// The binary's half of the `./vfiokit` launcher's staleness check. The launcher does no work of its own on
/// its fast path (a fork alone costs more than the 1.1x budget, docs/BENCHMARKS.md): it execs the binary at
/// once with VFIOKIT_LAUNCHER set to itself. The binary, when it is that launcher's ROOT/.cache/aot/vfiokit,
/// walks the sources (<see cref="SourceWalk"/>) on a thread started first thing in Main, so the walk runs on
/// the other core beside the rest of the start-up, and joins it just before the verb runs. When a source may
/// be newer it execs the launcher again with VFIOKIT_REBUILD=1, which hashes the sources and rebuilds if their
/// content changed, then runs the (new) binary with the same arguments.
/// </summary>
public sealed partial class SourceFreshness
{
    public const string LauncherVariable = "VFIOKIT_LAUNCHER";
    public const string RebuildVariable = "VFIOKIT_REBUILD";

    private readonly string _variable;
    private readonly Thread _walk;
    // Written by the walk thread, read after Join (which orders the two).
    private string? _launcher;
    private bool _stale;

    private SourceFreshness(string variable)
    {
        _variable = variable;
        _walk = new Thread(Walk) { IsBackground = true, Name = "vfiokit source walk" };
    }

    /// <summary>Called first in Main: when the environment names a launcher, starts the walk and returns the
    /// check to finish with <see cref="EnsureCurrent"/>; null otherwise.</summary>
    public static SourceFreshness? Start()
    {
        var variable = Environment.GetEnvironmentVariable(LauncherVariable);
        if (variable is null) return null;
        var check = new SourceFreshness(variable);
        check._walk.Start();
        return check;
    }

    private void Walk()
    {
        // An exception on this thread would end the process: whatever fails, the binary is not known to be
        // current, and the launcher's hash decides (or, untrusted, it runs as it is).
        try
        {
            // The trust check is on this thread too (two stats).
            _launcher = Launcher(_variable);
            if (_launcher is not null) _stale = SourceWalk.IsStale(Path.GetDirectoryName(_launcher) is { Length: > 0 } root ? root : ".");
        }
        catch (Exception)
        {
            _stale = true;
        }
    }

    /// <summary>Called just before the verb runs: waits for the walk and, when a source may be newer, replaces
    /// this process with the launcher's rebuild; returns when this binary is current or was not started by
    /// the repository's launcher.</summary>
    public void EnsureCurrent(string[] args)
    {
        _walk.Join();
        // Removed here, before the verb can start anything that would inherit it (not in Start: only the
        // walk thread runs beside the start-up).
        Environment.SetEnvironmentVariable(LauncherVariable, null);
        UnsetEnv(LauncherVariable);
        if (_launcher is null || !_stale) return;
        Rebuild(_launcher, args);
        Console.Error.WriteLine($"vfiokit: a source may be newer than this binary, and {_launcher} could not be run to rebuild it; running it as it is");
    }

    /// <summary>The launcher's path when this process is the binary the repository's launcher built and ran:
    /// the file ROOT/.cache/aot/vfiokit, ROOT being the directory of the launcher named in the variable (as the
    /// launcher itself finds it), is this process's executable (same device and inode: two stats, where
    /// comparing real paths took a readlink per path component of each). Null otherwise, so an installed copy (another
    /// file) never runs a script named in its environment.</summary>
    public static string? Launcher(string? variable)
    {
        if (string.IsNullOrEmpty(variable) || Path.GetFileName(variable) != "vfiokit") return null;
        var root = Path.GetDirectoryName(variable) is { Length: > 0 } directory ? directory : ".";
        return Environment.ProcessPath is { } self && Identity(Path.Combine(root, ".cache", "aot", "vfiokit")) is { } built && built == Identity(self) ? variable : null;
    }

    /// <summary>Device and inode of the file at <paramref name="path"/>, symlinks followed; null when it cannot be stat'ed.</summary>
    private static (uint Major, uint Minor, ulong Inode)? Identity(string path)
    {
        if (Statx.Get(Statx.AT_FDCWD, path, 0, Statx.STATX_INO, out var buffer) != 0) return null;
        return (buffer.DevMajor, buffer.DevMinor, buffer.Ino);
    }

    /// <summary>Replaces this process with the launcher in rebuild mode, same arguments; returns only when
    /// exec failed (the caller then runs as it is).</summary>
    private static void Rebuild(string launcher, string[] args)
    {
        var environment = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k is not RebuildVariable)
            .Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}")
            .Append($"{RebuildVariable}=1");
        Execve(launcher, [launcher, .. args, null], [.. environment, null]);
    }

    [LibraryImport("libc", EntryPoint = "unsetenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int UnsetEnv(string name);

    [LibraryImport("libc", EntryPoint = "execve", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Execve(string path, string?[] argv, string?[] envp);
}
