using VfioKit.Diagnostics;
using VfioKit.Host.Cpu;
using VfioKit.Planning;

namespace VfioKit.Runtime;

/// <summary>Checks a pin plan against the running QEMU and the host, applies it thread by thread (undoing
/// everything when one fails), reads every mask back from /proc and pins threads created meanwhile.</summary>
public static class ThreadPinning
{
    /// <summary>
    /// The sequence `pin` and `run` share: the host's CPU topology and QEMU's cgroup cpuset read from
    /// <paramref name="fs"/>, the plan made for that topology, checked (<see cref="Prepare"/>), and with
    /// <paramref name="apply"/> applied and read back (<see cref="Apply"/>). Returns the plan and the actions
    /// (as prepared in a dry run, as the kernel reports them after applying).
    /// </summary>
    public static (PinPlan Plan, IReadOnlyList<PinAction> Actions) Pin(QemuThreads qemu, Func<CpuTopology, PinPlan> plan,
        SysfsText fs, ProcTasks tasks, bool apply, List<string> notes)
    {
        var topo = CpuTopologyReader.Read(fs);
        var chosen = plan(topo);
        var allowed = CgroupCpuset.Read(fs, qemu.Pid) ?? topo.Online;
        var affinity = new ThreadAffinity(topo.Possible);
        CpuList? Current(int tid)
        {
            try { return affinity.Get(tid); }
            catch (AffinityException) { return tasks.AllowedCpus(qemu.Pid, tid); }
        }
        var actions = Prepare(qemu, chosen, topo.Online, allowed, Current, notes);
        return (chosen, apply ? Apply(qemu.Pid, actions, chosen.EmulatorCpus, affinity, tasks, notes) : actions);
    }

    /// <summary>The planner's plan for <paramref name="vcpus"/> vCPUs on this topology (`pin --vcpus-from-host`).</summary>
    public static PinPlan FromHost(CpuTopology topology, int vcpus) => PinPlan.From(CpuPlanner.Plan(topology, new PlanRequest(vcpus, [])));

    /// <summary>The changes the plan asks for; <see cref="InputException"/> (origin "--plan") when it names a CPU
    /// the host lacks or the cgroup forbids, or a vCPU QEMU does not have. Nothing is changed here.</summary>
    public static IReadOnlyList<PinAction> Prepare(QemuThreads qemu, PinPlan plan, CpuList online, CpuList allowed,
        Func<int, CpuList?> current, List<string> notes)
    {
        var missing = plan.AllCpus.Except(online);
        if (!missing.IsEmpty) throw new InputException("--plan", $"CPU(s) {missing} do not exist or are offline on this host (online: {online})");
        var forbidden = plan.AllCpus.Except(allowed);
        if (!forbidden.IsEmpty)
            throw new InputException("--plan", $"CPU(s) {forbidden} are not allowed for QEMU's process (its cgroup cpuset is {allowed})");
        var vcpuThreads = qemu.Vcpus.ToDictionary(t => t.Vcpu!.Value);
        var absent = plan.Vcpus.Where(v => !vcpuThreads.ContainsKey(v.Vcpu)).Select(v => v.Vcpu).ToArray();
        if (absent.Length > 0)
            throw new InputException("--plan", $"vCPU(s) {string.Join(",", absent)} are in the plan but QEMU has {(vcpuThreads.Count == 0 ? "no vCPU threads" : "vCPUs " + CpuList.Of(vcpuThreads.Keys))}");
        var unplanned = vcpuThreads.Keys.Where(v => plan.Vcpus.All(p => p.Vcpu != v)).ToArray();
        if (unplanned.Length > 0) notes.Add($"vCPU(s) {string.Join(",", unplanned)} are not in the plan and stay as they are");

        var actions = new List<PinAction>();
        foreach (var thread in qemu.Threads)
        {
            var target = thread.Role switch
            {
                Runtime.ThreadRole.Vcpu => CpuList.Of(plan.Vcpus.Where(v => v.Vcpu == thread.Vcpu).Select(v => v.HostCpu)),
                Runtime.ThreadRole.IoThread => plan.IoThreadCpus.IsEmpty ? plan.EmulatorCpus : plan.IoThreadCpus,
                _ => plan.EmulatorCpus,
            };
            if (target.IsEmpty) continue;
            if (current(thread.ThreadId) is not { } before) { notes.Add($"thread {thread.ThreadId} ({thread.Name}) exited"); continue; }
            actions.Add(new PinAction(thread, before, target));
        }
        return actions;
    }

    /// <summary>Applies the actions; on failure restores every changed thread and throws <see cref="PinFailedException"/>.
    /// Returns the actions with what the kernel reports now, plus those for threads that appeared meanwhile.</summary>
    public static IReadOnlyList<PinAction> Apply(int pid, IReadOnlyList<PinAction> actions, CpuList emulatorCpus,
        ThreadAffinity affinity, ProcTasks tasks, List<string> notes)
    {
        var done = new List<PinAction>();
        var all = new List<PinAction>(actions);
        for (var round = 0; round < 3; round++)
        {
            foreach (var action in all.Skip(done.Count).ToArray())
            {
                try
                {
                    affinity.Set(action.Thread.ThreadId, action.After);
                    done.Add(action);
                }
                catch (AffinityException e) when (e.Errno == 3 && action.Thread.Role == ThreadRole.Emulator)
                {
                    // ESRCH: a short-lived worker thread ended; nothing to pin.
                    notes.Add($"thread {action.Thread.ThreadId} ({action.Thread.Name}) exited before it could be pinned");
                    all.Remove(action);
                }
                catch (Exception e) when (e is AffinityException or ArgumentException)
                {
                    var restored = Undo(done, affinity, notes);
                    throw new PinFailedException($"{e.Message}; {restored.Count} thread(s) already changed were set back", restored, e);
                }
            }
            // Threads QEMU started since the listing (workers, hot-plugged vCPUs) are emulator threads.
            if (emulatorCpus.IsEmpty) break;
            var known = all.Select(a => a.Thread.ThreadId).ToHashSet();
            var fresh = tasks.List(pid).Where(t => !known.Contains(t.Tid)).ToArray();
            if (fresh.Length == 0) break;
            foreach (var (tid, name) in fresh)
                if (tasks.AllowedCpus(pid, tid) is { } before)
                    all.Add(new PinAction(new QemuThread(tid, name, ThreadRole.Emulator), before, emulatorCpus));
        }
        return done.Select(a => a with { Actual = tasks.AllowedCpus(pid, a.Thread.ThreadId) }).ToArray();
    }

    private static List<int> Undo(List<PinAction> done, ThreadAffinity affinity, List<string> notes)
    {
        var restored = new List<int>();
        foreach (var a in Enumerable.Reverse(done))
        {
            try
            {
                affinity.Set(a.Thread.ThreadId, a.Before);
                restored.Add(a.Thread.ThreadId);
            }
            catch (AffinityException e) { notes.Add($"could not restore thread {a.Thread.ThreadId}: {e.Message}"); }
        }
        return restored;
    }
}
