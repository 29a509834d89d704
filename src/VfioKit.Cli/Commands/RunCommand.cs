using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using VfioKit.Diagnostics;
using VfioKit.Formats;
using VfioKit.Host.Cpu;
using VfioKit.Run;
using VfioKit.Runtime;

namespace VfioKit.Cli.Commands;

/// <summary>`vfiokit run`: changes the host for a raw QEMU's lifetime (bind, huge pages, CPU isolation), starts it
/// from an argument array, and undoes every change when it exits, on failure and on SIGINT/SIGTERM.</summary>
internal static class RunCommand
{
    public static Command Create(CliIO io)
    {
        var config = new Argument<string>("config") { Description = "A QEMU launch script or argument file." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print every write and the QEMU argv; change nothing." };
        var force = new Option<bool>("--force") { Description = "Pass the boot GPU (the host's console) too." };
        var isolate = new Option<string?>("--isolate") { Description = "The VM's host CPUs (e.g. 2-7): host tasks are kept off them while it runs, vCPUs are pinned to them." };
        var noPin = new Option<bool>("--no-pin") { Description = "Do not pin QEMU's vCPU threads." };
        var standIns = new Option<bool>("--stand-ins") { Description = "Rehearsal: start QEMU with emulated stand-ins for the vfio-pci functions (as `probe` does)." };
        var powerdown = new Option<int>("--powerdown-timeout") { Description = "Seconds the guest gets to power down on SIGINT/SIGTERM before QEMU is told to quit.", DefaultValueFactory = _ => 60 };
        var qmpTimeout = new Option<int>("--qmp-timeout") { Description = "Seconds QEMU gets to answer on its QMP socket after it starts; past that it is stopped and the host restored.", DefaultValueFactory = _ => 30 };
        var root = new Option<string>("--root") { Description = "Do every read and write under DIR instead of / (rehearsals, tests).", DefaultValueFactory = _ => "/" };
        var command = new Command("run", "Change the host for a VM's lifetime (bind to vfio-pci, huge pages, CPU isolation), start QEMU, pin it, undo it all afterwards.")
        {
            config, dryRun, force, isolate, noPin, standIns, powerdown, qmpTimeout, root,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(config)!;
            var rootDir = parse.GetValue(root)!;
            CpuList? cpus = null;
            if (parse.GetValue(isolate) is { } text && !CpuList.TryParse(text, out cpus)) throw new InputException("--isolate", $"\"{text}\" is not a CPU list (e.g. 2-7,10)");
            if (parse.GetValue(powerdown) is var seconds && seconds < 0) throw new InputException("--powerdown-timeout", $"{seconds} is negative");
            if (parse.GetValue(qmpTimeout) is var qmpSeconds && qmpSeconds <= 0) throw new InputException("--qmp-timeout", $"{qmpSeconds} is not a positive number of seconds");
            var configText = ConfigText(path);
            var request = QemuRunConfig.Read(configText, path, cpus);
            var argv = parse.GetValue(standIns) ? QemuRunConfig.StandInArgv(configText, path, request) : request.Argv;
            var socket = QemuLaunch.SocketOf(rootDir, request.Name);
            var launch = QemuLaunch.WithQmp(argv, socket)
                ?? throw new InputException("--root", $"the QMP socket path {socket} is longer than a unix socket allows ({QemuLaunch.MaxSocketPathBytes} bytes)");
            var files = new RootedHostFiles(rootDir);
            var problems = RunPreflight.Check(files, request, parse.GetValue(force));
            if (problems.Count > 0)
            {
                foreach (var p in problems) io.Error.WriteLine($"vfiokit: {p}");
                io.Error.WriteLine("vfiokit: nothing was changed");
                return ExitCodes.Findings;
            }
            var online = OnlineCpus.Read(files);
            HostChangePlan plan;
            try { plan = HostChangePlanner.Plan(files, request, online); }
            catch (HostChangeException e)
            {
                io.Error.WriteLine($"vfiokit: {e.Message}; nothing was changed");
                return ExitCodes.HostChangeFailed;
            }
            var journalPath = JournalFile.PathOf(rootDir, request.Name);
            var pin = !parse.GetValue(noPin);
            // With the host's slices narrowed, QEMU must not run in one of them: systemd gives it a scope of its own,
            // elsewhere the plan's last step makes it a cgroup.
            var scoped = plan.Cgroups?.Manager == CgroupManager.Systemd && cpus is { IsEmpty: false };
            if (scoped) launch = QemuScope.Wrap(request.Name, launch);
            var cgroup = plan.Steps.OfType<QemuCgroup>().SingleOrDefault();
            if (parse.GetValue(dryRun))
            {
                io.Out.WriteLine($"dry run: nothing is changed; journal would be /{JournalFile.Directory}/{request.Name}.journal");
                foreach (var line in DryRun.Lines(plan, launch)) io.Out.WriteLine(line);
                io.Out.WriteLine(!pin ? "QEMU's threads are not pinned (--no-pin)"
                    : cpus is { IsEmpty: false } ? $"once QMP answers: pin vCPU n to the n-th of CPUs {cpus} (round robin), read back from /proc"
                    : "once QMP answers: pin the vCPUs as `vfiokit pin --vcpus-from-host` plans, read back from /proc");
                return ExitCodes.Ok;
            }
            if (plan.Cgroups?.Manager == CgroupManager.Systemd && !files.IsLiveHost && plan.Steps.Any(s => s is SliceAllowedCpus))
                throw new InputException("--root", $"{files.Root} models a host run by systemd (run/systemd/system): its CPU isolation runs systemctl and systemd-run, which only the live host has; use --dry-run");
            if (File.Exists(journalPath))
            {
                io.Error.WriteLine($"vfiokit: {journalPath} exists: a run of {request.Name} did not finish; run `vfiokit restore {request.Name}` first");
                return ExitCodes.HostChangeFailed;
            }
            return Run(io, files, plan, request, journalPath, new Launch(launch, socket, pin, cgroup, TimeSpan.FromSeconds(parse.GetValue(powerdown)), TimeSpan.FromSeconds(parse.GetValue(qmpTimeout))));
        });
        return command;
    }

    private sealed record Launch(IReadOnlyList<string> Argv, string Socket, bool Pin, QemuCgroup? Cgroup, TimeSpan PowerdownTimeout, TimeSpan QmpTimeout);

    // Through the one config reader: a FIFO or device is refused unopened, and the size is bounded.
    private static string ConfigText(string path) => ConfigInput.Decode(path, ConfigInput.ReadBytes(path));

    private static int Run(CliIO io, RootedHostFiles files, HostChangePlan plan, RunRequest request, string journalPath, Launch launch)
    {
        var signalled = 0;
        var stopping = 0;
        Process? qemu = null;
        QemuProcess? recorded = null;
        var output = new Lock();
        void Say(string line)
        {
            // Flushed line by line: a redirected stdout is otherwise written only when vfiokit exits.
            lock (output) { io.Out.WriteLine(line); io.Out.Flush(); }
        }
        void StopQemu(string why)
        {
            // Once: a second signal while it powers down changes nothing.
            if (Interlocked.Exchange(ref stopping, 1) == 1) return;
            var running = Volatile.Read(ref qemu);
            var record = Volatile.Read(ref recorded);
            if (running is null || record is null) return;
            Say($"stopping QEMU: {why}");
            _ = Task.Run(() =>
            {
                var how = QemuShutdown.Stop(record, t => running.WaitForExit(t), launch.PowerdownTimeout, Say);
                Say($"QEMU {how}");
            });
        }
        void OnSignal(PosixSignalContext context)
        {
            // Handled here: the default would end vfiokit before it gives the host back.
            context.Cancel = true;
            Interlocked.Exchange(ref signalled, 1);
            StopQemu($"{context.Signal} received");
        }
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);

        void Written(HostWrite w) => Say($"  {w}");
        var start = Journal.Start(plan.Name, files.Root, DateTimeOffset.UtcNow);
        try
        {
            HostChanges.Apply(files, journalPath, start, plan.Steps, () => Volatile.Read(ref signalled) == 1, Written);
        }
        catch (HostChangeException e)
        {
            io.Error.WriteLine($"vfiokit: {e.Message}");
            return ExitCodes.HostChangeFailed;
        }
        io.Out.Flush();

        var exit = ExitCodes.Ok;
        try
        {
            if (Volatile.Read(ref signalled) == 1) throw new OperationCanceledException();
            // The socket first: a vfiokit killed before the pid is journaled below leaves `restore` the QEMU to find.
            JournalFile.Write(journalPath, (JournalFile.Read(journalPath) ?? start) with { QemuStarting = launch.Socket });
            var process = QemuLaunch.Start(launch.Argv);
            var record = new QemuProcess(process.Id, QemuProcess.StartTimeOf(process.Id) ?? 0, launch.Socket);
            // Journaled before anything else: a vfiokit killed from here on leaves `restore` the QEMU to stop.
            JournalFile.Write(journalPath, (JournalFile.Read(journalPath) ?? start) with { Qemu = record });
            Volatile.Write(ref recorded, record);
            Volatile.Write(ref qemu, process);
            Say($"started {launch.Argv[0]} (pid {process.Id}); host changes are undone when it exits");
            if (Volatile.Read(ref signalled) == 1) StopQemu("signal received while it started");
            try
            {
                if (launch.Cgroup is { } own)
                {
                    // At once, before QEMU makes its vCPU threads (cgroup.procs moves every thread anyway).
                    var attach = own.Attach(process.Id);
                    files.Write(attach);
                    Written(attach);
                }
                using var qmp = QemuLaunch.WaitForQmp(process, launch.Socket, launch.QmpTimeout);
                Say($"QMP ready at {launch.Socket}");
                if (launch.Pin && Volatile.Read(ref stopping) == 0)
                {
                    var notes = new List<string>();
                    foreach (var a in VcpuPinning.Apply(qmp, process.Id, request.VmCpus, notes))
                        Say($"pinned thread {a.Thread.ThreadId} ({a.Thread.Name}) to CPUs {a.Actual} (was {a.Before})");
                    foreach (var n in notes) Say($"note: {n}");
                }
            }
            catch (Exception e) when (e is QmpException or HostChangeException)
            {
                io.Error.WriteLine($"vfiokit: {e.Message}");
                if (!process.HasExited)
                {
                    exit = ExitCodes.HostChangeFailed;
                    StopQemu("it could not be set up");
                }
                // It exited before QMP answered: it did not start (bad option, missing file).
                else if (e is QmpException) exit = ExitCodes.Environment;
            }
            process.WaitForExit();
            if (process.ExitCode != 0) io.Error.WriteLine($"vfiokit: QEMU exited with code {process.ExitCode}");
        }
        catch (OperationCanceledException) { Say("signal received before QEMU started: not started"); }
        catch (VfioKit.Processes.ProgramNotStartedException e)
        {
            io.Error.WriteLine($"vfiokit: {e.Message}");
            exit = ExitCodes.Environment;
        }
        finally
        {
            // QEMU removes its socket when it quits, not when it is killed.
            File.Delete(launch.Socket);
            var result = HostChanges.Restore(files, journalPath, Written);
            foreach (var f in result.Failures) io.Error.WriteLine($"vfiokit: {f}");
            if (!result.Complete)
            {
                io.Error.WriteLine($"vfiokit: journal kept at {journalPath}: run `vfiokit restore {plan.Name}`");
                exit = ExitCodes.HostChangeFailed;
            }
            else Say($"host restored ({result.Undone.Count} steps undone)");
        }
        return exit;
    }
}
