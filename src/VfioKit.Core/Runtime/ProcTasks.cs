using System.Globalization;
using VfioKit.Host.Cpu;

namespace VfioKit.Runtime;

/// <summary>The tasks (threads) of a process from /proc/PID/task below a root: ids, names, allowed CPUs.
/// A thread that exits between listing and reading is skipped.</summary>
public sealed class ProcTasks(SysfsText fs)
{
    public bool ProcessExists(int pid) => fs.Exists($"proc/{pid}/task");

    public IReadOnlyList<(int Tid, string Name)> List(int pid)
    {
        var result = new List<(int, string)>();
        foreach (var name in fs.Directories($"proc/{pid}/task"))
        {
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var tid)) continue;
            if (fs.TryRead($"proc/{pid}/task/{tid}/comm") is { } comm) result.Add((tid, comm.TrimEnd('\n')));
        }
        return result.OrderBy(t => t.Item1).ToArray();
    }

    /// <summary>Cpus_allowed_list of a thread as the kernel reports it now, null when the thread is gone.</summary>
    public CpuList? AllowedCpus(int pid, int tid) =>
        fs.TryRead($"proc/{pid}/task/{tid}/status") is { } text ? TaskStatus.Parse(text).CpusAllowed : null;

    /// <summary>The process a thread belongs to (Tgid), null when it is gone.</summary>
    public int? ProcessOf(int tid) => fs.TryRead($"proc/{tid}/status") is { } text ? TaskStatus.Parse(text).Tgid : null;
}
