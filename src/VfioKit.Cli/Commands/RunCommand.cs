using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using VfioKit.Diagnostics;
using VfioKit.Host.Cpu;
using VfioKit.Run;

namespace VfioKit.Cli.Commands;

/// <summary>`vfiokit run`: changes the host for a raw QEMU's lifetime (bind, huge pages, CPU isolation), starts it
/// from an argument array, and undoes every change when it exits, on failure and on SIGINT/SIGTERM.</summary>
internal static class RunCommand
{
    private static readonly TimeSpan PowerdownTimeout = TimeSpan.FromSeconds(60);

    public static Command Create(CliIO io)
    {
        var config = new Argument<string>("config") { Description = "A QEMU launch script or argument file." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print every write and the QEMU argv; change nothing." };
        var force = new Option<bool>("--force") { Description = "Pass the boot GPU (the host's console) too." };
        var isolate = new Option<string?>("--isolate") { Description = "The VM's host CPUs (e.g. 2-7): host tasks are kept off them while it runs." };
        var noPin = new Option<bool>("--no-pin") { Description = "Do not pin QEMU's threads (pinning from run is not built yet; use `vfiokit pin`)." };
        var root = new Option<string>("--root") { Description = "Do every read and write under DIR instead of / (rehearsals, tests).", DefaultValueFactory = _ => "/" };
        var command = new Command("run", "Change the host for a VM's lifetime (bind to vfio-pci, huge pages, CPU isolation), start QEMU, undo it all afterwards.")
        {
            config, dryRun, force, isolate, noPin, root,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(config)!;
            var rootDir = parse.GetValue(root)!;
            CpuList? cpus = null;
            if (parse.GetValue(isolate) is { } text && !CpuList.TryParse(text, out cpus)) throw new InputException("--isolate", $"\"{text}\" is not a CPU list (e.g. 2-7,10)");
            var request = QemuRunConfig.Read(ConfigText(path), path, cpus);
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
            if (parse.GetValue(dryRun))
            {
                io.Out.WriteLine($"dry run: nothing is changed; journal would be /{JournalFile.Directory}/{request.Name}.journal");
                foreach (var line in DryRun.Lines(plan, request.Argv)) io.Out.WriteLine(line);
                return ExitCodes.Ok;
            }
            if (File.Exists(journalPath))
            {
                io.Error.WriteLine($"vfiokit: {journalPath} exists: a run of {request.Name} did not finish; run `vfiokit restore {request.Name}` first");
                return ExitCodes.HostChangeFailed;
            }
            return Run(io, files, plan, request, journalPath);
        });
        return command;
    }

    private static string ConfigText(string path)
    {
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new InputException(path, e.Message); }
    }

    private static int Run(CliIO io, IHostFiles files, HostChangePlan plan, RunRequest request, string journalPath)
    {
        var signalled = 0;
        Process? qemu = null;
        void OnSignal(PosixSignalContext context)
        {
            // Handled here: the default would end vfiokit before it gives the host back.
            context.Cancel = true;
            Interlocked.Exchange(ref signalled, 1);
            var running = Volatile.Read(ref qemu);
            if (running is { HasExited: false }) Terminate(running);
        }
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);

        void Written(HostWrite w) => io.Out.WriteLine($"  {w}");
        try
        {
            HostChanges.Apply(files, journalPath, Journal.Start(plan.Name, files.Root, DateTimeOffset.UtcNow), plan.Steps,
                () => Volatile.Read(ref signalled) == 1, Written);
        }
        catch (HostChangeException e)
        {
            io.Error.WriteLine($"vfiokit: {e.Message}");
            return ExitCodes.HostChangeFailed;
        }

        var exit = ExitCodes.Ok;
        try
        {
            var start = new ProcessStartInfo(request.Argv[0]) { UseShellExecute = false };
            foreach (var a in request.Argv.Skip(1)) start.ArgumentList.Add(a);
            Volatile.Write(ref qemu, Process.Start(start));
            io.Out.WriteLine($"started {request.Argv[0]} (pid {qemu!.Id}); host changes are undone when it exits");
            if (Volatile.Read(ref signalled) == 1) Terminate(qemu);
            qemu.WaitForExit();
            if (qemu.ExitCode != 0) io.Error.WriteLine($"vfiokit: QEMU exited with code {qemu.ExitCode}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            io.Error.WriteLine($"vfiokit: cannot start {request.Argv[0]}: {e.Message}");
            exit = ExitCodes.Environment;
        }
        finally
        {
            var result = HostChanges.Restore(files, journalPath, Written);
            foreach (var f in result.Failures) io.Error.WriteLine($"vfiokit: {f}");
            if (!result.Complete)
            {
                io.Error.WriteLine($"vfiokit: journal kept at {journalPath}: run `vfiokit restore {plan.Name}`");
                exit = ExitCodes.HostChangeFailed;
            }
            else io.Out.WriteLine($"host restored ({result.Undone.Count} steps undone)");
        }
        return exit;
    }

    /// <summary>SIGTERM makes QEMU shut the guest down as on a power button loss (it exits cleanly); a QEMU that is
    /// still there after the timeout is killed, so the host is always given back.</summary>
    private static void Terminate(Process qemu)
    {
        try
        {
            using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", qemu.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } });
            kill?.WaitForExit();
            _ = Task.Run(async () =>
            {
                await Task.Delay(PowerdownTimeout).ConfigureAwait(false);
                if (!qemu.HasExited) qemu.Kill();
            });
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception) { }
    }
}
