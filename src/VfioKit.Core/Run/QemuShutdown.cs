using System.Diagnostics;
using VfioKit.Runtime;

namespace VfioKit.Run;

/// <summary>
/// Stops a QEMU the way a careful user would: QMP system_powerdown (the guest's ACPI power button: it shuts down
/// cleanly), then, when it is still there after the timeout (a guest without an ACPI handler ignores the button),
/// QMP quit, then SIGKILL. Used by `run` on SIGINT/SIGTERM or a failure after QEMU started, and by
/// `restore --stop` for a QEMU whose vfiokit was killed.
/// </summary>
public static class QemuShutdown
{
    public static readonly TimeSpan QuitTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan QmpTimeout = TimeSpan.FromSeconds(3);

    /// <param name="exited">Waits up to the given time for QEMU to be gone; true when it is.</param>
    /// <param name="told">Told each stage, for people.</param>
    /// <returns>How it ended: "exited", "powered down", "quit" or "killed".</returns>
    public static string Stop(QemuProcess qemu, Func<TimeSpan, bool> exited, TimeSpan powerdownTimeout, Action<string> told)
    {
        if (exited(TimeSpan.Zero)) return "exited";
        told("asking QEMU to power the guest down (QMP system_powerdown)");
        if (Ask(qemu.QmpSocket, "system_powerdown", told) && exited(powerdownTimeout)) return "powered down";
        told($"QEMU is still running after {powerdownTimeout.TotalSeconds:0.#} s (a guest without an ACPI power button handler ignores it): QMP quit");
        if (Ask(qemu.QmpSocket, "quit", told) && exited(QuitTimeout)) return "quit";
        if (exited(TimeSpan.Zero)) return "quit";
        told($"QEMU (pid {qemu.Pid}) is still running: SIGKILL");
        // The start time is checked again so a pid reused meanwhile is never signalled.
        if (qemu.IsRunning())
        {
            try { using var p = Process.GetProcessById(qemu.Pid); p.Kill(); }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception) { }
        }
        exited(QuitTimeout);
        return "killed";
    }

    /// <summary>Waits for a QEMU that is not this process's child (restore --stop) by polling /proc.</summary>
    public static bool Gone(QemuProcess qemu, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (qemu.IsRunning())
        {
            if (Stopwatch.GetTimestamp() >= deadline) return false;
            Thread.Sleep(100);
        }
        return true;
    }

    private static bool Ask(string socket, string command, Action<string> told)
    {
        try
        {
            using var qmp = QmpClient.Connect(socket, QmpTimeout);
            qmp.Execute(command);
            return true;
        }
        catch (QmpException e)
        {
            // quit may close the socket before its reply arrives: QEMU is on its way out.
            if (command == "quit") return true;
            told($"QMP {command} failed: {e.Message}");
            return false;
        }
    }
}
