using System.Text;

namespace VfioKit.KubeVirt;

/// <summary>
/// Whether this process was started under the name KubeVirt's sidecar-shim runs for the onDefineDomain hook
/// point (it execs `onDefineDomain` from $PATH: a symlink to or copy of vfiokit).
/// </summary>
public static class ShimInvocation
{
    /// <summary>The executable name the sidecar-shim runs for the onDefineDomain hook point.</summary>
    public const string HookName = "onDefineDomain";

    public static bool IsThisProcess() => Path.GetFileName(ArgvZero("/proc/self/cmdline")) == HookName;

    /// <summary>argv[0] as the process was started with it: /proc/self/cmdline keeps it, where the apphost's
    /// GetCommandLineArgs()[0] is the managed dll and ProcessPath resolves symlinks. Empty when unreadable.</summary>
    internal static string ArgvZero(string cmdlinePath)
    {
        try
        {
            using var cmdline = new FileStream(cmdlinePath, FileMode.Open, FileAccess.Read);
            var buffer = new byte[4096];
            var read = cmdline.Read(buffer, 0, buffer.Length);
            var end = Array.IndexOf(buffer, (byte)0, 0, read);
            return Encoding.UTF8.GetString(buffer, 0, end < 0 ? read : end);
        }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }
}
