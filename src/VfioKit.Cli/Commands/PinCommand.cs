using System.CommandLine;
using System.Text.Json;
using VfioKit.Cli.Json;
using VfioKit.Cli.Rendering;
using VfioKit.Diagnostics;
using VfioKit.Host.Cpu;
using VfioKit.Planning;
using VfioKit.Runtime;

namespace VfioKit.Cli.Commands;

/// <summary>`vfiokit pin`: pins a running QEMU's vCPU, emulator and I/O threads as a plan says, and checks the result.</summary>
internal static class PinCommand
{
    public static Command Create(CliIO io)
    {
        var qmp = new Option<string?>("--qmp") { Description = "QEMU's QMP unix socket (finds threads with query-cpus-fast)." };
        var pid = new Option<int?>("--pid") { Description = "QEMU's process id (finds threads by name; needs -name NAME,debug-threads=on)." };
        var planFile = new Option<string?>("--plan") { Description = "A plan written by `vfiokit plan --json`." };
        var fromHost = new Option<bool>("--vcpus-from-host") { Description = "Plan now from this host's topology for the vCPUs QEMU has." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be done; change nothing." };
        var json = new Option<bool>("--json") { Description = "Write the result as JSON (docs/json/pin.md)." };
        var root = new Option<string>("--root") { Description = "Root of /proc and /sys (for tests).", DefaultValueFactory = _ => "/", Hidden = true };

        var command = new Command("pin", "Pin a running QEMU's vCPU, emulator and I/O threads to host CPUs, and verify.")
        {
            qmp, pid, planFile, fromHost, dryRun, json, root,
        };
        command.SetAction(parse =>
        {
            var socket = parse.GetValue(qmp);
            var processId = parse.GetValue(pid);
            if ((socket is null) == (processId is null)) throw new InputException("--qmp", "give exactly one of --qmp SOCKET or --pid PID");
            var file = parse.GetValue(planFile);
            if ((file is null) == !parse.GetValue(fromHost)) throw new InputException("--plan", "give exactly one of --plan FILE or --vcpus-from-host");

            var fs = new SysfsText(parse.GetValue(root)!);
            var tasks = new ProcTasks(fs);
            var notes = new List<string>();
            var qemu = socket is not null ? FromQmp(socket, fs, tasks) : FromPid(processId!.Value, fs, tasks);
            notes.AddRange(qemu.Notes);

            var given = file is not null ? ReadPlan(file) : null;
            var dry = parse.GetValue(dryRun);
            var code = ExitCodes.Ok;
            PinPlan plan;
            IReadOnlyList<PinAction> result;
            try { (plan, result) = ThreadPinning.Pin(qemu, topo => given ?? ThreadPinning.FromHost(topo, qemu.Vcpus.Count()), fs, tasks, apply: !dry, notes); }
            catch (PinFailedException e)
            {
                io.Error.WriteLine($"vfiokit: pinning failed: {e.Message}");
                return ExitCodes.HostChangeFailed;
            }
            var differences = new List<string>();
            if (!dry)
            {
                foreach (var a in result.Where(a => !a.Matches))
                    differences.Add($"thread {a.Thread.ThreadId} ({a.Thread.Name}): planned {a.After}, kernel reports {a.Actual?.ToString() ?? "nothing (exited)"}" +
                        (a.Actual is not null ? " (a cgroup cpuset narrows it)" : ""));
                if (differences.Count > 0) code = ExitCodes.Findings;
            }

            PinMemoryJson? memory = null;
            if (NumaMaps.TryRead(fs, qemu.Pid, out var unreadable) is { } parsed)
            {
                memory = new PinMemoryJson(plan.MemoryNodes, parsed.BytesPerNode.Select(kv => new NodeBytesJson(kv.Key, kv.Value)).ToArray(),
                    plan.MemoryNodes.Count == 0 ? 0 : parsed.OffNodes(plan.MemoryNodes.ToArray()));
            }
            else notes.Add(unreadable!);

            var report = new PinJson(qemu.Pid, qemu.Source, dry, result.Select(a => PinJson.Thread(a, !dry)).ToArray(), differences, memory, notes);
            if (parse.GetValue(json)) io.Out.WriteLine(JsonSerializer.Serialize(report, PlanJsonContext.Default.PinJson));
            else PinView.Write(io.Console, report);
            return code;
        });
        return command;
    }

    private static QemuThreads FromQmp(string socket, SysfsText fs, ProcTasks tasks)
    {
        try
        {
            using var client = QmpClient.Connect(socket, TimeSpan.FromSeconds(3));
            // The threads pinned are those of the process holding the socket, and it must be QEMU.
            if (PinTarget.Refusal(client.PeerPid, fs, mustBeQemu: true) is { } why) throw new InputException("--qmp", $"{socket}: {why}");
            return QemuThreadFinder.FromQmp(client, tasks, client.PeerPid);
        }
        catch (QmpException e) { throw new InputException("--qmp", e.Message); }
    }

    private static QemuThreads FromPid(int pid, SysfsText fs, ProcTasks tasks)
    {
        if (pid <= 0 || !tasks.ProcessExists(pid)) throw new InputException("--pid", $"no process {pid}");
        if (PinTarget.Refusal(pid, fs, mustBeQemu: false) is { } why) throw new InputException("--pid", why);
        var threads = QemuThreadFinder.FromNames(pid, tasks);
        if (!threads.Vcpus.Any()) throw new InputException("--pid", $"process {pid}: {threads.Notes[^1]}");
        return threads;
    }

    internal static PinPlan ReadPlan(string file)
    {
        string text;
        try { text = File.ReadAllText(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new InputException(file, e.Message); }
        PlanJson? plan;
        try { plan = JsonSerializer.Deserialize(text, PlanJsonContext.Default.PlanJson); }
        catch (JsonException e)
        {
            throw new InputException(file, (int?)(e.LineNumber + 1), (int?)(e.BytePositionInLine + 1), $"not a vfiokit plan: {e.Message}");
        }
        if (plan?.Vcpus is null) throw new InputException(file, "not a vfiokit plan: no \"vcpus\"");
        if (plan.Vcpus.Any(v => v.HostCpu < 0 || v.Vcpu < 0)) throw new InputException(file, "a vCPU or host CPU number is negative");
        return new PinPlan(plan.Vcpus.Select(v => new VcpuPin(v.Vcpu, v.HostCpu)).ToArray(),
            CpuList.Of(plan.EmulatorCpus ?? []), CpuList.Of(plan.IothreadCpus ?? []), plan.MemoryNodes ?? []);
    }
}
