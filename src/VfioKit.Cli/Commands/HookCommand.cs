using System.CommandLine;
using System.Text;
using VfioKit.Diagnostics;
using VfioKit.Files;
using VfioKit.Formats.Libvirt;
using VfioKit.Host.Cpu;
using VfioKit.Run;

namespace VfioKit.Cli.Commands;

/// <summary>`vfiokit hook`: installs libvirt's qemu hook, and the prepare/release verbs that hook calls.</summary>
internal static class HookCommand
{
    public static Command Create(CliIO io)
    {
        var command = new Command("hook", "libvirt's qemu hook: huge pages on the GPU's node and CPU isolation for a domain's lifetime.");
        command.Add(Install(io));
        command.Add(Prepare(io));
        command.Add(Release(io));
        return command;
    }

    private static Option<string> RootOption() =>
        new("--root") { Description = "Do every read and write under DIR instead of / (rehearsals, tests).", DefaultValueFactory = _ => "/" };

    private static Command Install(CliIO io)
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the hook and where it would go; write nothing." };
        var exe = new Option<string?>("--vfiokit") { Description = "The vfiokit the hook runs (default: this one)." };
        var root = RootOption();
        var command = new Command("install", "Write /etc/libvirt/hooks/qemu.d/vfiokit (an existing /etc/libvirt/hooks/qemu is left alone).") { dryRun, exe, root };
        command.SetAction(parse =>
        {
            var rootDir = Path.GetFullPath(parse.GetValue(root)!);
            var binary = parse.GetValue(exe) ?? Environment.ProcessPath ?? "vfiokit";
            var script = LibvirtHookScript.Render(binary, rootDir);
            var target = Path.Combine(rootDir, LibvirtHookScript.RelativePath);
            if (parse.GetValue(dryRun))
            {
                io.Out.WriteLine($"dry run: would write {target} (mode 0755):");
                io.Out.Write(script);
                return ExitCodes.Ok;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var bytes = new UTF8Encoding(false).GetBytes(script);
            // libvirt runs only executable hooks, and every executable in qemu.d: the previous hook is kept
            // beside it (FILE.bak, .bak.1 ..., never overwritten) without its execute bits.
            const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
            if (File.Exists(target) && File.ReadAllBytes(target).AsSpan().SequenceEqual(bytes) && !OperatingSystem.IsWindows() && (File.GetUnixFileMode(target) & UnixFileMode.UserExecute) != 0)
            {
                io.Out.WriteLine($"{target} is already this hook; nothing written");
                return ExitCodes.Ok;
            }
            var written = FileReplacement.Write(target, bytes, Executable, overwrite: true, executableBackup: false);
            if (written.Backup is { } kept) io.Out.WriteLine($"kept the previous hook as {kept} (not executable, so libvirt does not run it)");
            io.Out.WriteLine($"wrote {target}; libvirtd reads hooks when it starts: restart it (systemctl restart libvirtd)");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Prepare(CliIO io)
    {
        var name = new Argument<string>("domain") { Description = "The domain's name (libvirt's $1)." };
        var root = RootOption();
        var command = new Command("prepare", "Called by the hook at prepare/begin: reads the domain XML on stdin and makes its host changes.") { name, root };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            var rootDir = parse.GetValue(root)!;
            var domain = DomainXml.Parse(Console.In.ReadToEnd(), "stdin");
            var request = LibvirtRunConfig.Read(domain);
            if (request.Name != parse.GetValue(name)) throw new InputException("domain", $"the XML on stdin is domain \"{request.Name}\", not \"{parse.GetValue(name)}\"");
            // Only domains that pass a device get host changes: the hook runs for every domain.
            if (request.Functions.Count == 0) return ExitCodes.Ok;
            var files = new RootedHostFiles(rootDir);
            if (RunPreflight.HugePages(files, request) is [_, ..] shortfall)
            {
                foreach (var p in shortfall) io.Error.WriteLine($"vfiokit: {p}");
                io.Error.WriteLine("vfiokit: nothing was changed");
                return ExitCodes.Findings;
            }
            var online = OnlineCpus.Read(files);
            var journalPath = JournalFile.PathOf(rootDir, request.Name);
            try
            {
                // A journal left by a crash is undone first, so its old values are not taken for the host's.
                HostChanges.Restore(files, journalPath);
                // libvirt binds managed hostdevs itself.
                var plan = HostChangePlanner.Plan(files, request, online, bind: false);
                HostChanges.Apply(files, journalPath, Journal.Start(plan.Name, files.Root, DateTimeOffset.UtcNow), plan.Steps);
            }
            catch (HostChangeException e)
            {
                // libvirt shows a hook's stderr when it refuses to start the domain.
                io.Error.WriteLine($"vfiokit: {e.Message}");
                return ExitCodes.HostChangeFailed;
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Release(CliIO io)
    {
        var name = new Argument<string>("domain") { Description = "The domain's name (libvirt's $1)." };
        var root = RootOption();
        var command = new Command("release", "Called by the hook at release/end: undoes the domain's host changes.") { name, root };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            var vm = parse.GetValue(name)!;
            if (!RunRequest.IsValidName(vm)) return ExitCodes.Ok;
            var path = JournalFile.PathOf(parse.GetValue(root)!, vm);
            if (!File.Exists(path)) return ExitCodes.Ok;
            return RestoreCommand.Restore(io, parse.GetValue(root)!, [vm]);
        });
        return command;
    }
}
