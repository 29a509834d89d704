using System.Text.Json;

namespace VfioKit.Runtime;

/// <summary>Finds a QEMU process's vCPU and I/O threads: from QMP (query-cpus-fast, query-iothreads) or, without
/// QMP, from the thread names QEMU sets with -name ...,debug-threads=on. Every other thread is an emulator thread.</summary>
public static class QemuThreadFinder
{
    public static QemuThreads FromQmp(QmpClient qmp, ProcTasks tasks)
    {
        var vcpus = new Dictionary<int, int>();
        foreach (var cpu in qmp.Execute("query-cpus-fast").EnumerateArray())
            if (cpu.TryGetProperty("cpu-index", out var index) && cpu.TryGetProperty("thread-id", out var tid))
                vcpus[tid.GetInt32()] = index.GetInt32();
        var notes = new List<string>();
        var iothreads = new Dictionary<int, string>();
        try
        {
            foreach (var io in qmp.Execute("query-iothreads").EnumerateArray())
                if (io.TryGetProperty("thread-id", out var tid) && io.TryGetProperty("id", out var id))
                    iothreads[tid.GetInt32()] = id.GetString() ?? "";
        }
        catch (QmpException e) { notes.Add($"query-iothreads failed ({e.Message}): I/O threads taken as emulator threads"); }
        if (vcpus.Count == 0) throw new QmpException("query-cpus-fast listed no vCPU threads");

        var pid = tasks.ProcessOf(vcpus.Keys.First())
            ?? throw new QmpException($"vCPU thread {vcpus.Keys.First()} from QMP is not visible in /proc (another PID namespace?)");
        var threads = tasks.List(pid).Select(t =>
            vcpus.TryGetValue(t.Tid, out var v) ? new QemuThread(t.Tid, t.Name, ThreadRole.Vcpu, Vcpu: v)
            : iothreads.TryGetValue(t.Tid, out var io) ? new QemuThread(t.Tid, t.Name, ThreadRole.IoThread, IoThread: io)
            : new QemuThread(t.Tid, t.Name, ThreadRole.Emulator)).ToArray();
        var missing = vcpus.Keys.Where(tid => threads.All(t => t.ThreadId != tid)).ToArray();
        if (missing.Length > 0) notes.Add($"vCPU thread(s) {string.Join(",", missing)} from QMP are not tasks of process {pid}");
        return new QemuThreads(pid, "qmp", threads, notes);
    }

    public static QemuThreads FromNames(int pid, ProcTasks tasks)
    {
        var notes = new List<string>();
        var threads = tasks.List(pid).Select(t =>
            ThreadName.Vcpu(t.Name) is { } v ? new QemuThread(t.Tid, t.Name, ThreadRole.Vcpu, Vcpu: v)
            : ThreadName.IoThread(t.Name) is { } io ? new QemuThread(t.Tid, t.Name, ThreadRole.IoThread, IoThread: io)
            : new QemuThread(t.Tid, t.Name, ThreadRole.Emulator)).ToArray();
        if (threads.All(t => t.Role != ThreadRole.Vcpu))
            notes.Add("no thread is named 'CPU n/KVM' or 'CPU n/TCG': QEMU names its threads only with -name NAME,debug-threads=on " +
                "(libvirt does this); start it so, or use --qmp");
        return new QemuThreads(pid, "thread-names", threads, notes);
    }
}
