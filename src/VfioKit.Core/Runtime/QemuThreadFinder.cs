using System.Text.Json;

namespace VfioKit.Runtime;

/// <summary>Finds a QEMU process's vCPU and I/O threads: from QMP (query-cpus-fast, query-iothreads) or, without
/// QMP, from the thread names QEMU sets with -name ...,debug-threads=on. Every other thread is an emulator thread.</summary>
public static class QemuThreadFinder
{
    /// <param name="peerPid">The process at the other end of the QMP socket (SO_PEERCRED): every vCPU thread QMP names
    /// must be one of its threads, so a server cannot name another process's threads to be pinned.</param>
    public static QemuThreads FromQmp(QmpClient qmp, ProcTasks tasks, int peerPid)
    {
        var vcpus = new Dictionary<int, int>();
        foreach (var cpu in Array(qmp.Execute("query-cpus-fast"), "query-cpus-fast"))
            if (Int(cpu, "cpu-index", "query-cpus-fast") is { } index && Int(cpu, "thread-id", "query-cpus-fast") is { } tid)
                vcpus[tid] = index;
        var notes = new List<string>();
        var iothreads = new Dictionary<int, string>();
        try
        {
            foreach (var io in Array(qmp.Execute("query-iothreads"), "query-iothreads"))
                if (Int(io, "thread-id", "query-iothreads") is { } tid && io.TryGetProperty("id", out var id))
                    iothreads[tid] = id.ValueKind == JsonValueKind.String ? id.GetString()! : id.ToString();
        }
        catch (QmpException e) { notes.Add($"query-iothreads failed ({e.Message}): I/O threads taken as emulator threads"); }
        if (vcpus.Count == 0) throw new QmpException("query-cpus-fast listed no vCPU threads");

        var pid = peerPid;
        foreach (var tid in vcpus.Keys)
        {
            var owner = tasks.ProcessOf(tid)
                ?? throw new QmpException($"vCPU thread {tid} from QMP is not visible in /proc (another PID namespace?)");
            if (owner != peerPid)
                throw new QmpException($"QMP names thread {tid} as vCPU {vcpus[tid]}, but it belongs to process {owner}, not to process {peerPid} at the other end of the socket; nothing pinned");
        }
        var threads = tasks.List(pid).Select(t =>
            vcpus.TryGetValue(t.Tid, out var v) ? new QemuThread(t.Tid, t.Name, ThreadRole.Vcpu, Vcpu: v)
            : iothreads.TryGetValue(t.Tid, out var io) ? new QemuThread(t.Tid, t.Name, ThreadRole.IoThread, IoThread: io)
            : new QemuThread(t.Tid, t.Name, ThreadRole.Emulator)).ToArray();
        var missing = vcpus.Keys.Where(tid => threads.All(t => t.ThreadId != tid)).ToArray();
        if (missing.Length > 0) notes.Add($"vCPU thread(s) {string.Join(",", missing)} from QMP are not tasks of process {pid}");
        return new QemuThreads(pid, "qmp", threads, notes);
    }

    private static IEnumerable<JsonElement> Array(JsonElement reply, string command) =>
        reply.ValueKind == JsonValueKind.Array ? reply.EnumerateArray()
        : throw new QmpException($"malformed reply to {command}: a JSON {reply.ValueKind}, not an array");

    private static int? Int(JsonElement item, string property, string command)
    {
        if (item.ValueKind != JsonValueKind.Object) throw new QmpException($"malformed reply to {command}: an entry is a JSON {item.ValueKind}, not an object");
        if (!item.TryGetProperty(property, out var value)) return null;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= 0 ? n
            : throw new QmpException($"malformed reply to {command}: \"{property}\" is {Shown(value.GetRawText())}, not a thread or CPU number");
    }

    private static string Shown(string text) => text.Length > 40 ? text[..40] + "..." : text;

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
