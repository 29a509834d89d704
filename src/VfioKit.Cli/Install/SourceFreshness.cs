using System.Runtime.InteropServices;

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
        // The trust check is on this thread too: three realpath calls, a dozen syscalls and libc's first load.
        _launcher = Launcher(_variable, Environment.ProcessPath);
        if (_launcher is not null) _stale = SourceWalk.IsStale(Path.GetDirectoryName(_launcher)!);
    }

    /// <summary>Called just before the verb runs: waits for the walk and, when a source may be newer, replaces
    /// this process with the launcher's rebuild; returns when this binary is current or was not started by
    /// the repository's launcher.</summary>
    public void EnsureCurrent(string[] args)
    {
        _walk.Join();
        // Removed here, before the verb can start anything that would inherit it. Not in Start: the first
        // libc call loads the library (dozens of failed opens), which the walk thread has done by now.
        Environment.SetEnvironmentVariable(LauncherVariable, null);
        UnsetEnv(LauncherVariable);
        if (_launcher is null || !_stale) return;
        Rebuild(_launcher, args);
        Console.Error.WriteLine($"vfiokit: a source may be newer than this binary, and {_launcher} could not be run to rebuild it; running it as it is");
    }

    /// <summary>The launcher's path when this process is the binary the repository's launcher built and ran
    /// (ROOT/.cache/aot/vfiokit with ROOT/vfiokit the launcher); null otherwise, so an installed copy never
    /// runs a script named in its environment.</summary>
    public static string? Launcher(string? variable, string? processPath)
    {
        if (string.IsNullOrEmpty(variable) || string.IsNullOrEmpty(processPath)) return null;
        // Compared as real paths: the process path is /proc/self/exe's, resolved; the launcher's is as typed.
        if (RealPath(variable) is not { } launcher || Path.GetFileName(launcher) != "vfiokit") return null;
        var built = RealPath(Path.Combine(Path.GetDirectoryName(launcher)!, ".cache", "aot", "vfiokit"));
        return built is not null && built == RealPath(processPath) ? launcher : null;
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

    private static string? RealPath(string path)
    {
        var resolved = RealPath(path, 0);
        if (resolved == 0) return null;
        try { return Marshal.PtrToStringUTF8(resolved); }
        finally { Free(resolved); }
    }

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint RealPath(string path, nint resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(nint pointer);

    [LibraryImport("libc", EntryPoint = "unsetenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int UnsetEnv(string name);

    [LibraryImport("libc", EntryPoint = "execve", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Execve(string path, string?[] argv, string?[] envp);
}
