using System.CommandLine;
using VfioKit.Cli.Lint;
using System.Text;
using VfioKit.Diagnostics;
using VfioKit.Files;
using VfioKit.Formats;
using VfioKit.Libvirt;
using VfioKit.Rules;
using VfioKit.Linting;
using VfioKit.Edits;

namespace VfioKit.Cli.Commands;

/// <summary>`vfiokit fix FILE`: applies the fixes of lint's findings, changing nothing else.</summary>
internal static class FixCommand
{
    public static Command Create(CliIO io)
    {
        var file = new Argument<string>("file") { Description = "The configuration to fix (libvirt domain XML, QEMU launch script, Proxmox VM config); - for stdin. With --connect: a libvirt domain name or UUID." };
        var write = new Option<bool>("--write") { Description = "Replace FILE atomically (same owner, mode, ACLs), keeping the original as FILE.bak (or FILE.bak.N; never overwritten). See docs/writing-files.md." };
        var diff = new Option<bool>("--diff") { Description = "Print a unified diff instead of the fixed configuration." };
        var unsafeFixes = new Option<bool>("--unsafe") { Description = "Also apply fixes the guest notices (i440fx to q35: Windows re-detects its hardware)." };
        var connect = new Option<string?>("--connect") { Description = "FILE is a libvirt domain (name or UUID) at this URI; its persistent XML is fixed ('' for libvirt's default URI)." };
        var define = new Option<bool>("--define") { Description = "With --connect: define the fixed XML in libvirt (schema-checked), read it back and check it; on any failure the old definition is restored (exit 4). The old XML is kept in a file first." };
        var keep = new Option<string>("--keep") { Description = "With --define: the directory for the old XML (DOMAIN.before-fix.xml, never overwritten).", DefaultValueFactory = _ => "." };
        var options = new LintCliOptions();
        var command = new Command("fix", "Repair what lint finds and can fix; everything else stays byte-identical. Prints the fixed configuration unless --write or --diff.")
        {
            file, write, diff, unsafeFixes, options.Host, options.Resolution, connect, define, keep,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            if (parse.GetResult(connect) is not null) return FixDomain(io, parse, path, parse.GetValue(connect) ?? "", options, parse.GetValue(unsafeFixes), parse.GetValue(diff), parse.GetValue(define), parse.GetValue(keep)!, parse.GetValue(write));
            if (parse.GetValue(define)) throw new InputException("--define", "defines a libvirt domain: give DOMAIN --connect URI");
            if (path == "-" && parse.GetValue(write)) throw new InputException("--write", "cannot write back to stdin; give a file");
            var settings = options.Read(parse);
            // Read once: the text fixed is these bytes, and --write refuses to replace the file if they are no longer
            // what is there.
            var bytes = path == "-" ? null : ConfigInput.ReadBytes(path);
            var text = bytes is null ? ConfigInput.Read(path, Console.In) : ConfigInput.Decode(path, bytes);
            var original = parse.GetValue(write) ? bytes : null;
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

            ReportFixes(io, result);
            var left = result.Remaining;
            var skippedUnsafe = left.Count(f => f.Fix is { Unsafe: true });
            io.Error.WriteLine($"{path}: {result.Applied.Count} fixed, {left.Count} left" +
                (skippedUnsafe > 0 ? $" ({skippedUnsafe} fixable with --unsafe)" : "") + (left.Count > 0 ? "; `vfiokit lint` lists them" : ""));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>One line per fix made and per fix declined, the same for files and domains.</summary>
    private static void ReportFixes(CliIO io, FixResult result)
    {
        foreach (var f in result.Applied) io.Error.WriteLine($"{f.Location}: fixed {f.RuleId}: {f.Fix!.Title}");
        foreach (var f in result.Declined)
            io.Error.WriteLine($"{f.Location}: not fixed {f.RuleId}: its fix would leave a file lint cannot read, or undo another fix (a defect in vfiokit; please report it)");
    }

    /// <summary>fix DOMAIN --connect URI [--define]: the domain's persistent XML, fixed to stdout (or as a diff), or
    /// defined in place with the old definition kept and restored on failure.</summary>
    private static int FixDomain(CliIO io, ParseResult parse, string domain, string uri, LintCliOptions options, bool unsafeFixes, bool diff, bool define, string keep, bool write)
    {
        if (write) throw new InputException("--write", "writes a file; for a libvirt domain use --define");
        var settings = options.Read(parse);
        var fixOptions = new FixOptions(unsafeFixes, settings.Options, settings.Host, settings.Files);
        if (!define)
        {
            var document = LibvirtDomains.Read(uri, [domain], all: false, live: false)[0];
            var result = Fixer.Fix(document, fixOptions);
            io.Out.Write(diff ? UnifiedDiff.Of(document.Text, result.FixedText, "a/" + document.Path, "b/" + document.Path) : result.FixedText);
            ReportFixes(io, result);
            io.Error.WriteLine($"{document.Path}: {result.Applied.Count} fixed, {result.Remaining.Count} left; --define defines it");
            return ExitCodes.Ok;
        }
        using var connection = LibvirtConnection.Open(uri, readOnly: false);
        var (redefinition, fix) = DomainFix.Define(connection, domain, fixOptions, keep);
        var where = LibvirtDocument.PathOf(connection.Uri, redefinition.Domain.Name);
        if (diff) io.Out.Write(UnifiedDiff.Of(redefinition.Before, fix?.FixedText ?? redefinition.Before, "a/" + where, "b/" + where));
        if (fix is not null) ReportFixes(io, fix);
        switch (redefinition.Outcome)
        {
            case RedefinitionOutcome.Unchanged:
                io.Error.WriteLine($"{where}: nothing to fix; the definition is unchanged");
                return ExitCodes.Ok;
            case RedefinitionOutcome.Defined:
                io.Error.WriteLine($"{where}: defined the fixed XML and read it back; the old XML is kept in {redefinition.KeptFile}" +
                    (redefinition.Domain.Active ? " (the domain runs: the change takes effect at its next start)" : ""));
                return ExitCodes.Ok;
            default:
                io.Error.WriteLine($"vfiokit: {where}: {redefinition.Problem}");
                io.Error.WriteLine($"{where}: the old definition is restored (also kept in {redefinition.KeptFile})");
                return ExitCodes.HostChangeFailed;
        }
    }
}
