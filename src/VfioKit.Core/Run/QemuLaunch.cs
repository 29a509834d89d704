using System.Diagnostics;
using System.Text;
using VfioKit.Processes;
using VfioKit.Runtime;

namespace VfioKit.Run;

/// <summary>
/// Starts QEMU from an argument array (never a shell string) with a QMP socket of vfiokit's own beside the
/// journal, and waits until QMP answers.
/// </summary>
public static class QemuLaunch
{
    /// <summary>sun_path holds 108 bytes with its terminating NUL.</summary>
    public const int MaxSocketPathBytes = 107;

    /// <summary>The QMP socket of a run: {root}/run/vfiokit/NAME.qmp.</summary>
    public static string SocketOf(string root, string name) => Path.Combine(Path.GetFullPath(root), JournalFile.Directory, $"{name}.qmp");

    /// <summary><paramref name="argv"/> with vfiokit's QMP monitor added (a comma in the path is doubled, as QEMU's
    /// option syntax asks). Null when the path is too long for a unix socket.</summary>
    public static IReadOnlyList<string>? WithQmp(IReadOnlyList<string> argv, string socket) =>
        Encoding.UTF8.GetByteCount(socket) > MaxSocketPathBytes ? null : [.. argv, "-qmp", QmpArgument(socket)];

    /// <summary>The value of the -qmp option vfiokit gives QEMU for <paramref name="socket"/>.</summary>
    public static string QmpArgument(string socket) => $"unix:{socket.Replace(",", ",,", StringComparison.Ordinal)},server=on,wait=off";

    /// <exception cref="ProgramNotStartedException">The QEMU binary cannot be started.</exception>
    public static Process Start(IReadOnlyList<string> argv) => ExternalProgram.Start(argv[0], argv.Skip(1));

    /// <summary>Connects to QEMU's QMP socket once QEMU has made it; <see cref="QmpException"/> when QEMU exits first
    /// or QMP does not answer within <paramref name="timeout"/>.</summary>
    public static QmpClient WaitForQmp(Process qemu, string socket, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        var late = $"QMP at {socket} did not answer within {timeout.TotalSeconds:0} s";
        while (true)
        {
            if (qemu.HasExited) throw new QmpException($"QEMU exited (code {qemu.ExitCode}) before its QMP socket answered");
            var left = timeout - Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero) throw new QmpException(late);
            if (File.Exists(socket))
            {
                // A QEMU that accepted the connection but hangs is waited for no longer than the rest of the time.
                try { return QmpClient.Connect(socket, left < TimeSpan.FromSeconds(3) ? left : TimeSpan.FromSeconds(3)); }
                catch (QmpException e) when (Stopwatch.GetElapsedTime(started) >= timeout) { throw new QmpException($"{late} ({e.Message})", e); }
                catch (QmpException) { }
            }
            Thread.Sleep(50);
        }
    }
}
