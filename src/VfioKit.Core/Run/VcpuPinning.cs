using VfioKit.Diagnostics;
using VfioKit.Host.Cpu;
using VfioKit.Planning;
using VfioKit.Runtime;

namespace VfioKit.Run;

/// <summary>
/// Pins the vCPU threads of the QEMU a run started, with `vfiokit pin`'s code: threads from QMP (query-cpus-fast,
/// checked to be the socket peer's), the plan checked against the host and the process's cgroup, every mask
/// read back from /proc/PID/task/TID/status. With the VM's CPUs given (--isolate), vCPU n goes to the n-th of
/// them (round robin); without, the plan is `pin --vcpus-from-host`'s. /proc and the CPU topology are read from
/// the real `/` even under --root: the QEMU process is real. Nothing to undo: the masks die with the threads.
/// </summary>
public static class VcpuPinning
{
    /// <exception cref="HostChangeException">The plan does not fit this host or a thread could not be pinned (those
    /// already changed were set back).</exception>
    public static IReadOnlyList<PinAction> Apply(QmpClient qmp, int pid, CpuList? vmCpus, List<string> notes)
    {
        if (qmp.PeerPid != pid) throw new HostChangeException($"the QMP socket's peer is process {qmp.PeerPid}, not the QEMU started ({pid})");
        var fs = new SysfsText("/");
        var tasks = new ProcTasks(fs);
        QemuThreads qemu;
        try { qemu = QemuThreadFinder.FromQmp(qmp, tasks, pid); }
        catch (QmpException e) { throw new HostChangeException($"pinning: {e.Message}", e); }
        notes.AddRange(qemu.Notes);
        var vcpus = qemu.Vcpus.ToArray();
        PinPlan Plan(CpuTopology topo) => vmCpus is { IsEmpty: false }
            ? new PinPlan([.. vcpus.Select((t, i) => new VcpuPin(t.Vcpu!.Value, vmCpus[i % vmCpus.Count]))], CpuList.Empty, CpuList.Empty, [])
            : ThreadPinning.FromHost(topo, vcpus.Length);
        try
        {
            var (_, result) = ThreadPinning.Pin(qemu, Plan, fs, tasks, apply: true, notes);
            if (result.FirstOrDefault(a => !a.Matches) is { } off)
                throw new HostChangeException($"thread {off.Thread.ThreadId} ({off.Thread.Name}) was pinned to {off.After} but /proc shows {off.Actual?.ToString() ?? "nothing"}");
            return result;
        }
        catch (InputException e) { throw new HostChangeException($"pinning: {e.Message}", e); }
        catch (PinFailedException e) { throw new HostChangeException($"pinning: {e.Message}", e); }
    }
}
