using System.CommandLine;
using VfioKit.Diagnostics;
using VfioKit.Run;

namespace VfioKit.Cli.Commands;

/// <summary>`vfiokit restore`: undoes the host changes of an unfinished run or hook (after a crash or a power cut),
/// from its journal. Safe to run twice; with nothing to restore it says so and exits 0.</summary>
internal static class RestoreCommand
{
    public static Command Create(CliIO io)
    {
        var name = new Argument<string?>("name") { Description = "The VM whose journal to replay; all journals when omitted.", Arity = ArgumentArity.ZeroOrOne };
        var root = new Option<string>("--root") { Description = "Do every read and write under DIR instead of / (rehearsals, tests).", DefaultValueFactory = _ => "/" };
        var stop = new Option<bool>("--stop") { Description = "Stop the run's QEMU first when it still runs (powerdown, quit, kill); without it restore refuses." };
        var powerdown = new Option<int>("--powerdown-timeout") { Description = "With --stop: seconds the guest gets to power down before QEMU is told to quit.", DefaultValueFactory = _ => 60 };
        var command = new Command("restore", "Undo the host changes of an unfinished `run` or hook, from its journal in /run/vfiokit.") { name, root, stop, powerdown };
        command.SetAction(parse =>
        {
            var rootDir = parse.GetValue(root)!;
            var given = parse.GetValue(name);
            if (given is not null && !RunRequest.IsValidName(given)) throw new InputException("name", $"\"{given}\" is not a VM name");
            var names = given is not null ? [given] : JournalFile.Names(rootDir);
            var seconds = parse.GetValue(powerdown);
            if (seconds < 0) throw new InputException("--powerdown-timeout", $"{seconds} is negative");
            return Restore(io, rootDir, names, parse.GetValue(stop) ? TimeSpan.FromSeconds(seconds) : null);
        });
        return command;
    }

    /// <summary>The journal's QEMU; when the run was killed after starting QEMU but before journaling its pid, the
    /// process started with the journaled QMP socket (looked for twice: a QEMU just forked has not exec'd yet).</summary>
    private static QemuProcess? QemuOf(Journal? journal)
    {
        if (journal?.Qemu is { } qemu) return qemu;
        if (journal?.QemuStarting is not { } socket) return null;
        if (QemuProcess.FindByQmp(socket) is { } found) return found;
        Thread.Sleep(200);
        return QemuProcess.FindByQmp(socket);
    }

    /// <param name="stop">Stop a QEMU that still runs (with this powerdown timeout); null: refuse to restore under it.</param>
    public static int Restore(CliIO io, string root, IReadOnlyList<string> names, TimeSpan? stop = null)
    {
        var files = new RootedHostFiles(root);
        var code = ExitCodes.Ok;
        var any = false;
        foreach (var vm in names)
        {
            var path = JournalFile.PathOf(root, vm);
            if (!File.Exists(path)) continue;
            any = true;
            if (QemuOf(JournalFile.Read(path)) is { } qemu && qemu.IsRunning())
            {
                // Its devices are still in use by QEMU: unbinding them under it would crash the guest or the host.
                if (stop is not { } timeout)
                {
                    io.Error.WriteLine($"vfiokit: {vm}: its QEMU (pid {qemu.Pid}) still runs and holds the devices; shut the guest down, or run `vfiokit restore {vm} --stop`; nothing was changed");
                    code = ExitCodes.HostChangeFailed;
                    continue;
                }
                var how = QemuShutdown.Stop(qemu, t => QemuShutdown.Gone(qemu, t), timeout, line => io.Out.WriteLine($"{vm}: {line}"));
                io.Out.WriteLine($"{vm}: QEMU (pid {qemu.Pid}) {how}");
                if (qemu.IsRunning())
                {
                    io.Error.WriteLine($"vfiokit: {vm}: QEMU (pid {qemu.Pid}) would not stop; nothing was changed");
                    code = ExitCodes.HostChangeFailed;
                    continue;
                }
            }
            // A killed QEMU leaves its socket behind.
            File.Delete(QemuLaunch.SocketOf(root, vm));
            var result = HostChanges.Restore(files, path, w => io.Out.WriteLine($"  {w}"));
            foreach (var step in result.Undone) io.Out.WriteLine($"{vm}: undone: {step}");
            foreach (var failure in result.Failures) io.Error.WriteLine($"vfiokit: {vm}: {failure}");
            if (result.Complete) io.Out.WriteLine($"{vm}: restored");
            else
            {
                io.Error.WriteLine($"vfiokit: {vm}: journal kept at {path}; fix the cause and run `vfiokit restore {vm}` again");
                code = ExitCodes.HostChangeFailed;
            }
        }
        if (!any) io.Out.WriteLine("nothing to restore");
        return code;
    }
}
