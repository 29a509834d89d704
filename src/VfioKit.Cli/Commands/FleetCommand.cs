using System.CommandLine;
using System.Reflection;
using VfioKit.Cli.Fleet;
using VfioKit.Diagnostics;
using VfioKit.Fleet;
using VfioKit.Formats;
using VfioKit.Formats.Proxmox;
using VfioKit.Linting;
using VfioKit.Rules;

namespace VfioKit.Cli.Commands;

/// <summary>`vfiokit fleet lint`: every domain on many libvirt hosts at once.</summary>
internal static class FleetCommand
{
    public static Command Create(CliIO io)
    {
        var command = new Command("fleet", "Work on every domain of many libvirt hosts at once (docs/fleet.md).");
        command.Add(Lint(io));
        command.Add(Fix(io));
        return command;
    }

    /// <summary>--connect, --connect-file and --connections, which lint and fix share.</summary>
    private sealed class Hosts
    {
        public Option<string[]> Connect { get; } = new("--connect") { Description = "A libvirt URI (qemu:///system, qemu+ssh://root@host/system); repeat for more hosts.", AllowMultipleArgumentsPerToken = false };
        public Option<string?> ConnectFile { get; } = new("--connect-file") { Description = "A file of libvirt URIs, one per line (# comments and blank lines skipped)." };
        public Option<int> Connections { get; } = new("--connections") { Description = "How many hosts are worked on at once (a bounded pool of connections).", DefaultValueFactory = _ => 8 };

        /// <summary>The URIs in the order given, duplicates dropped; libvirt's default ("") when neither option is given.</summary>
        public (List<string> Uris, int Pool) Read(ParseResult parse)
        {
            var uris = new List<string>(parse.GetValue(Connect) ?? []);
            if (parse.GetValue(ConnectFile) is { } file) uris.AddRange(ReadUris(file));
            if (parse.GetResult(Connect) is null && parse.GetValue(ConnectFile) is null) uris.Add("");
            if (uris.Count == 0) throw new InputException(parse.GetValue(ConnectFile)!, "lists no URI");
            var pool = parse.GetValue(Connections);
            if (pool < 1) throw new InputException("--connections", $"'{pool}' must be 1 or more");
            return (uris.Distinct(StringComparer.Ordinal).ToList(), pool);
        }
    }

    private static Command Fix(CliIO io)
    {
        var hosts = new Hosts();
        var define = new Option<bool>("--define") { Description = "Define each fixed domain (old XML kept, schema-checked, read back, old one restored on failure, as fix --define). Needs --yes." };
        var yes = new Option<bool>("--yes") { Description = "Confirm --define: change the definitions of every domain that needs a fix on every host given." };
        var keep = new Option<string>("--keep") { Description = "With --define: the directory for old XML, one subdirectory per host (KEEP/HOST/DOMAIN.before-fix.xml, never overwritten).", DefaultValueFactory = _ => "." };
        var unsafeFixes = new Option<bool>("--unsafe") { Description = "Also apply fixes the guest notices (i440fx to q35)." };
        var format = new Option<string>("--format") { Description = "Output: text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("fix", "Fix every domain on every host as `fix DOMAIN --connect URI` does. Without --define a dry run: what would be fixed, nothing changed. " +
            "Exit 0: done; 2: bad input (--define without --yes); 3: a host could not be reached (the others are still done); 4: a domain's redefinition failed and was undone.")
        {
            hosts.Connect, hosts.ConnectFile, hosts.Connections, define, yes, keep, unsafeFixes, format,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(define) && !parse.GetValue(yes))
                throw new InputException("--define", "changes the definition of every domain that needs a fix on every host given: add --yes to confirm (without --define, fleet fix shows what it would do)");
            if (parse.GetValue(yes) && !parse.GetValue(define)) throw new InputException("--yes", "confirms --define: give both");
            var (uris, pool) = hosts.Read(parse);
            var results = FleetFix.Run(uris, pool, new FixOptions(parse.GetValue(unsafeFixes)), parse.GetValue(define), parse.GetValue(keep)!,
                h => io.Error.WriteLine(h.Reached ? $"fleet: {Name(h.Uri)}: {h.Domains.Count} domains" : $"fleet: {Name(h.Uri)}: unreachable"));
            if (parse.GetValue(format) == "json") FleetFixOutput.Json(io.Out, results, parse.GetValue(define));
            else FleetFixOutput.Text(io.Out, results, parse.GetValue(define));
            if (results.Any(h => h.Domains.Any(d => d.Outcome is FleetFixOutcome.RolledBack or FleetFixOutcome.Failed))) return ExitCodes.HostChangeFailed;
            return results.Any(h => !h.Reached) ? ExitCodes.Environment : ExitCodes.Ok;
        });
        return command;
    }

    private static Command Lint(CliIO io)
    {
        var hosts = new Hosts();
        var format = new Option<string>("--format") { Description = "Output: text, json or sarif (SARIF 2.1.0, one run; results located by URI/DOMAIN).", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "sarif");
        var failOn = new Option<string>("--fail-on") { Description = "Exit 1 when a finding is at or above: error, warning, info, or none.", DefaultValueFactory = _ => "warning" };
        failOn.AcceptOnlyFromAmong("error", "warning", "info", "none");
        var live = new Option<bool>("--live") { Description = "Lint running domains' live XML instead of their persistent definitions." };
        var proxmox = new Option<string?>("--proxmox") { Description = "Lint a Proxmox cluster instead: every node's VM configs, DIR/nodes/NODE/qemu-server/VMID.conf (DIR defaults to /etc/pve); hosts are nodes, domains VM ids.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("lint", "Lint every domain (running or not) on every host; without --connect, libvirt's default URI. " +
            "Exit 0: nothing at or above --fail-on; 1: findings; 2: bad input; 3: a host could not be reached (the others are still reported).")
        {
            hosts.Connect, hosts.ConnectFile, hosts.Connections, format, failOn, live, proxmox,
        };
        command.SetAction(parse =>
        {
            IReadOnlyList<FleetHost> results;
            var cluster = parse.GetResult(proxmox) is not null;
            if (cluster)
            {
                if (parse.GetResult(hosts.Connect) is not null || parse.GetResult(hosts.ConnectFile) is not null || parse.GetValue(live))
                    throw new InputException("--proxmox", "reads the cluster's VM config files: give no --connect, --connect-file or --live beside it");
                results = FleetProxmox.Lint(parse.GetValue(proxmox) ?? ProxmoxCluster.DefaultRoot, LintOptions.Default);
                foreach (var h in results) io.Error.WriteLine($"fleet: node {h.Uri}: {h.Domains.Count} VMs");
            }
            else
            {
                var (uris, pool) = hosts.Read(parse);
                results = FleetLint.Run(uris, pool, LintOptions.Default, parse.GetValue(live),
                    h => io.Error.WriteLine(h.Reached ? $"fleet: {Name(h.Uri)}: {h.Domains.Count} domains" : $"fleet: {Name(h.Uri)}: unreachable"));
            }
            switch (parse.GetValue(format))
            {
                case "json": FleetOutput.Json(io.Out, results); break;
                case "sarif": FleetOutput.Sarif(io.Out, results, Version()); break;
                default: FleetOutput.Text(io.Out, results, cluster); break;
            }

            if (results.Any(h => !h.Reached)) return ExitCodes.Environment;
            var threshold = parse.GetValue(failOn);
            if (threshold == "none") return ExitCodes.Ok;
            SeverityNames.TryParse(threshold, out var min);
            return results.SelectMany(h => h.Domains).Any(d => d.Report?.AnyAtOrAbove(min) == true) ? ExitCodes.Findings : ExitCodes.Ok;
        });
        return command;
    }

    private static string Version() =>
        typeof(FleetCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    private static string Name(string uri) => uri.Length == 0 ? "(default URI)" : uri;

    /// <summary>One URI a line; blank lines and # comments skipped; surrounding blanks trimmed.</summary>
    private static IEnumerable<string> ReadUris(string path) =>
        ConfigInput.Read(path, Console.In).Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();
}
