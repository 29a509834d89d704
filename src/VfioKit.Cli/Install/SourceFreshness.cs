using System.Runtime.InteropServices;

namespace VfioKit.Cli.Install;

/// <summary>
/// The binary's half of the `./vfiokit` launcher's staleness check. The launcher starts its walk over the
/// sources as a background child, then execs the binary at once with VFIOKIT_LAUNCHER (itself) and
/// VFIOKIT_SOURCE_CHECK (the walk's pid). exec keeps the pid, so the walk is this process's child: the walk
/// runs on another core while the binary starts (NativeAOT start-up is ~30 ms, the walk ~6 ms), and the
/// binary reaps it before it does anything else. When a source is newer (exit 10), or the verdict cannot be
/// had, the binary execs the launcher again with VFIOKIT_REBUILD=1, which hashes the sources and rebuilds if
/// their content changed.
/// </summary>
public static partial class SourceFreshness
{
    public const string LauncherVariable = "VFIOKIT_LAUNCHER";
    public const string CheckVariable = "VFIOKIT_SOURCE_CHECK";
    public const string RebuildVariable = "VFIOKIT_REBUILD";

    /// <summary>The walk's exit status when an input is newer than the build stamp.</summary>
    public const int StaleStatus = 10;

    /// <summary>Called first in Main: waits for the launcher's walk and re-runs the launcher to rebuild when a
    /// source is newer; returns when this binary is current or was not started by the repository's launcher.
    /// The variables are removed either way, so nothing this process starts inherits them.</summary>
    public static void Check(string[] args)
    {
        var launcherVariable = Environment.GetEnvironmentVariable(LauncherVariable);
        var checkVariable = Environment.GetEnvironmentVariable(CheckVariable);
        if (launcherVariable is null && checkVariable is null) return;
        foreach (var name in (string[])[LauncherVariable, CheckVariable])
        {
            Environment.SetEnvironmentVariable(name, null);
            UnsetEnv(name);
        }
        if (Launcher(launcherVariable, Environment.ProcessPath) is not { } launcher) return;
        if (WalkVerdict(checkVariable) == 0) return;
        Rebuild(launcher, args);
        Console.Error.WriteLine($"vfiokit: a source may be newer than this binary, and {launcher} could not be run to rebuild it; running it as it is");
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

    /// <summary>The walk's exit status; -1 when the pid is not a child of this process (the variable came from
    /// somewhere else) or the walk did not exit normally: both mean "not known to be current".</summary>
    private static int WalkVerdict(string? pidText)
    {
        if (!int.TryParse(pidText, out var pid) || pid <= 1) return -1;
        const int EINTR = 4;
        int result;
        int status;
        do result = WaitPid(pid, out status, 0);
        while (result == -1 && Marshal.GetLastPInvokeError() == EINTR);
        if (result != pid) return -1;
        // WIFEXITED and WEXITSTATUS, as <sys/wait.h> defines them.
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1;
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

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitPid(int pid, out int status, int options);

    [LibraryImport("libc", EntryPoint = "unsetenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int UnsetEnv(string name);

    [LibraryImport("libc", EntryPoint = "execve", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Execve(string path, string?[] argv, string?[] envp);
}
