using System.CommandLine;
using VfioKit.Cli.Lint;
using System.Text;
using VfioKit.Diagnostics;
using VfioKit.Files;
using VfioKit.Formats;
using VfioKit.Rules;
using VfioKit.Linting;
using VfioKit.Edits;

namespace VfioKit.Cli.Commands;

/// <summary>`vfiokit fix FILE`: applies the fixes of lint's findings, changing nothing else.</summary>
internal static class FixCommand
{
    public static Command Create(CliIO io)
    {
        var file = new Argument<string>("file") { Description = "The configuration to fix (libvirt domain XML, QEMU launch script, Proxmox VM config); - for stdin." };
        var write = new Option<bool>("--write") { Description = "Replace FILE atomically (same owner, mode, ACLs), keeping the original as FILE.bak (or FILE.bak.N; never overwritten). See docs/writing-files.md." };
        var diff = new Option<bool>("--diff") { Description = "Print a unified diff instead of the fixed configuration." };
        var unsafeFixes = new Option<bool>("--unsafe") { Description = "Also apply fixes the guest notices (i440fx to q35: Windows re-detects its hardware)." };
        var options = new LintCliOptions();
        var command = new Command("fix", "Repair what lint finds and can fix; everything else stays byte-identical. Prints the fixed configuration unless --write or --diff.")
        {
            file, write, diff, unsafeFixes, options.Host, options.Resolution,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            if (path == "-" && parse.GetValue(write)) throw new InputException("--write", "cannot write back to stdin; give a file");
            var settings = options.Read(parse);
            // The bytes as first read: --write refuses to replace the file if they are no longer what is there.
            var original = parse.GetValue(write) ? ReadOriginal(path) : null;
            var text = ConfigInput.Read(path, Console.In);
            var document = new ConfigDocument(path, text, ConfigFormatDetector.Detect(path, text));
            var result = Fixer.Fix(document, new FixOptions(parse.GetValue(unsafeFixes), settings.Options, settings.Host, settings.Files));

            if (parse.GetValue(diff)) io.Out.Write(UnifiedDiff.Of(text, result.FixedText, "a/" + path, "b/" + path));
            else if (!parse.GetValue(write)) io.Out.Write(result.FixedText);
            if (original is not null && result.Changed)
            {
                var written = FileReplacement.Replace(path, original, new UTF8Encoding(false).GetBytes(result.FixedText));
                if (written.ViaSymlink) io.Error.WriteLine($"{path}: is a symlink; edited its target {written.Target}");
                io.Error.WriteLine($"{path}: original kept as {written.Backup}");
            }

            foreach (var f in result.Applied) io.Error.WriteLine($"{f.Location}: fixed {f.RuleId}: {f.Fix!.Title}");
            var left = result.Remaining;
            var skippedUnsafe = left.Count(f => f.Fix is { Unsafe: true });
            io.Error.WriteLine($"{path}: {result.Applied.Count} fixed, {left.Count} left" +
                (skippedUnsafe > 0 ? $" ({skippedUnsafe} fixable with --unsafe)" : "") + (left.Count > 0 ? "; `vfiokit lint` lists them" : ""));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static byte[] ReadOriginal(string path)
    {
        try
        {
            if (new FileInfo(path).Length > ConfigInput.MaxBytes) return []; // ConfigInput refuses it next
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new InputException(path, "cannot be read: " + e.Message); }
    }
}
