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
        Encoding.UTF8.GetByteCount(socket) > MaxSocketPathBytes ? null
            : [.. argv, "-qmp", $"unix:{socket.Replace(",", ",,", StringComparison.Ordinal)},server=on,wait=off"];

    /// <exception cref="ProgramNotStartedException">The QEMU binary cannot be started.</exception>
    public static Process Start(IReadOnlyList<string> argv) => ExternalProgram.Start(argv[0], argv.Skip(1));

    /// <summary>Connects to QEMU's QMP socket once QEMU has made it; <see cref="QmpException"/> when QEMU exits first
    /// or QMP does not answer within <paramref name="timeout"/>.</summary>
    public static QmpClient WaitForQmp(Process qemu, string socket, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (qemu.HasExited) throw new QmpException($"QEMU exited (code {qemu.ExitCode}) before its QMP socket answered");
            if (File.Exists(socket))
            {
                try { return QmpClient.Connect(socket, TimeSpan.FromSeconds(3)); }
                catch (QmpException) when (Stopwatch.GetTimestamp() < deadline) { }
            }
            if (Stopwatch.GetTimestamp() >= deadline) throw new QmpException($"QMP at {socket} did not answer within {timeout.TotalSeconds:0} s");
            Thread.Sleep(50);
        }
    }
}
