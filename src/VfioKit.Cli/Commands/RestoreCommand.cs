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
        var command = new Command("restore", "Undo the host changes of an unfinished `run` or hook, from its journal in /run/vfiokit.") { name, root };
        command.SetAction(parse =>
        {
            var rootDir = parse.GetValue(root)!;
            var given = parse.GetValue(name);
            if (given is not null && !RunRequest.IsValidName(given)) throw new InputException("name", $"\"{given}\" is not a VM name");
            var names = given is not null ? [given] : JournalFile.Names(rootDir);
            return Restore(io, rootDir, names);
        });
        return command;
    }

    public static int Restore(CliIO io, string root, IReadOnlyList<string> names)
    {
        var files = new RootedHostFiles(root);
        var code = ExitCodes.Ok;
        var any = false;
        foreach (var vm in names)
        {
            var path = JournalFile.PathOf(root, vm);
            if (!File.Exists(path)) continue;
            any = true;
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
