using System.Globalization;

namespace VfioKit.Run;

/// <summary>
/// The QEMU a run started, as its journal keeps it: its pid, the kernel's start time of that pid (field 22 of
/// /proc/PID/stat, so a pid reused by another process after a crash is not taken for it) and its QMP socket.
/// `vfiokit restore` uses it to refuse undoing bindings under a QEMU that still holds the devices, or to stop it.
/// </summary>
public sealed record QemuProcess(int Pid, long StartTime, string QmpSocket)
{
    /// <summary>The start time of <paramref name="pid"/> in clock ticks since boot; null when there is no such process.</summary>
    public static long? StartTimeOf(int pid) => Stat(pid)?.StartTime;

    /// <summary>The live process whose command line has `-qmp` followed by vfiokit's argument for
    /// <paramref name="socket"/> (a path under the run directory only vfiokit names), or null: how `restore` finds a
    /// QEMU started by a vfiokit killed before it journaled the pid. Nothing else is taken for it.</summary>
    public static QemuProcess? FindByQmp(string socket)
    {
        var wanted = QemuLaunch.QmpArgument(socket);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            string[] argv;
            try { argv = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0'); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            for (var i = 0; i + 1 < argv.Length; i++)
                if (argv[i] == "-qmp" && argv[i + 1] == wanted && Stat(pid) is { State: not 'Z' } stat)
                    return new QemuProcess(pid, stat.StartTime, socket);
        }
        return null;
    }

    /// <summary>True while this very process (same pid, same start time) is alive and not a zombie.</summary>
    public bool IsRunning() => Stat(Pid) is { } stat && stat.StartTime == StartTime && stat.State != 'Z';

    /// <summary>The state (field 3) and start time (field 22) of /proc/PID/stat, from one read; null when there is
    /// no such process.</summary>
    private static (char State, long StartTime)? Stat(int pid)
    {
        string text;
        try { text = File.ReadAllText($"/proc/{pid}/stat"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        // The command name (field 2) is in parentheses and may hold spaces and ')': count fields after the last ')'.
        var close = text.LastIndexOf(')');
        if (close < 0) return null;
        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state), so field 22 (starttime) is fields[19].
        return fields.Length > 19 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var t)
            ? (fields[0][0], t) : null;
    }
}
