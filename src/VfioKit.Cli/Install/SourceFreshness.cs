using System.Runtime.InteropServices;

namespace VfioKit.Cli.Install;

/// <summary>
/// The binary's half of the `./vfiokit` launcher's staleness check. The launcher does no work of its own on
/// its fast path (a fork alone costs more than the 1.1x budget, docs/BENCHMARKS.md): it execs the binary at
/// once with VFIOKIT_LAUNCHER set to itself. The binary, when it is that launcher's ROOT/.cache/aot/vfiokit,
/// walks the sources (Install/SourceWalk.c, a C constructor, so the walk runs on the other core from before
/// the runtime starts) and this asks for the verdict just before the verb runs. When a source may be newer
/// it execs the launcher again with VFIOKIT_REBUILD=1, which hashes the sources and rebuilds if their content
/// changed, then runs the (new) binary with the same arguments.
/// </summary>
public static partial class SourceFreshness
{
    public const string LauncherVariable = "VFIOKIT_LAUNCHER";
    public const string RebuildVariable = "VFIOKIT_REBUILD";

    /// <summary>The walk's library: linked into the NativeAOT binary (DirectPInvoke), beside the JIT build as
    /// libvfiokitsource.so.</summary>
    private const string Walk = "vfiokitsource";

    private enum Verdict { NotLaunched = 0, Current = 1, Stale = 2 }

    /// <summary>The check to run before the verb when the environment names a launcher; null otherwise.</summary>
    public static Action? BeforeVerb(string[] args) =>
        Environment.GetEnvironmentVariable(LauncherVariable) is { } launcher ? () => EnsureCurrent(launcher, args) : null;

    /// <summary>Waits for the walk and, when a source may be newer, replaces this process with the launcher's
    /// rebuild; returns when this binary is current or was not started by the repository's launcher.</summary>
    private static void EnsureCurrent(string launcher, string[] args)
    {
        var verdict = AskWalk();
        // Removed here, before the verb can start anything that would inherit it.
        Environment.SetEnvironmentVariable(LauncherVariable, null);
        UnsetEnv(LauncherVariable);
        if (verdict != Verdict.Stale) return;
        Rebuild(launcher, args);
        Console.Error.WriteLine($"vfiokit: a source may be newer than this binary, and {launcher} could not be run to rebuild it; running it as it is");
    }

    private static Verdict AskWalk()
    {
        try
        {
            return (Verdict)SourceVerdict();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // A JIT build run without its libvfiokitsource.so (dotnet run): not the launcher's binary.
            return Verdict.NotLaunched;
        }
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

    [LibraryImport(Walk, EntryPoint = "vfiokit_source_verdict")]
    private static partial int SourceVerdict();

    [LibraryImport("libc", EntryPoint = "unsetenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int UnsetEnv(string name);

    [LibraryImport("libc", EntryPoint = "execve", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Execve(string path, string?[] argv, string?[] envp);
}
