using System.CommandLine;
using VfioKit.Cli.Fleet;
using VfioKit.Diagnostics;
using VfioKit.Fleet;
using VfioKit.Formats;
using VfioKit.Rules;

namespace VfioKit.Cli.Commands;

/// <summary>`vfiokit fleet lint`: every domain on many libvirt hosts at once.</summary>
internal static class FleetCommand
{
    public static Command Create(CliIO io)
    {
        var command = new Command("fleet", "Work on every domain of many libvirt hosts at once (docs/fleet.md).");
        command.Add(Lint(io));
        return command;
    }

    private static Command Lint(CliIO io)
    {
        var connect = new Option<string[]>("--connect") { Description = "A libvirt URI (qemu:///system, qemu+ssh://root@host/system); repeat for more hosts.", AllowMultipleArgumentsPerToken = false };
        var connectFile = new Option<string?>("--connect-file") { Description = "A file of libvirt URIs, one per line (# comments and blank lines skipped)." };
        var connections = new Option<int>("--connections") { Description = "How many hosts are read at once (a bounded pool of connections).", DefaultValueFactory = _ => 8 };
        var format = new Option<string>("--format") { Description = "Output: text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var failOn = new Option<string>("--fail-on") { Description = "Exit 1 when a finding is at or above: error, warning, info, or none.", DefaultValueFactory = _ => "warning" };
        failOn.AcceptOnlyFromAmong("error", "warning", "info", "none");
        var live = new Option<bool>("--live") { Description = "Lint running domains' live XML instead of their persistent definitions." };
        var command = new Command("lint", "Lint every domain (running or not) on every host; without --connect, libvirt's default URI. " +
            "Exit 0: nothing at or above --fail-on; 1: findings; 2: bad input; 3: a host could not be reached (the others are still reported).")
        {
            connect, connectFile, connections, format, failOn, live,
        };
        command.SetAction(parse =>
        {
            var uris = new List<string>(parse.GetValue(connect) ?? []);
            if (parse.GetValue(connectFile) is { } file) uris.AddRange(ReadUris(file));
            if (parse.GetResult(connect) is null && parse.GetValue(connectFile) is null) uris.Add("");
            if (uris.Count == 0) throw new InputException(parse.GetValue(connectFile)!, "lists no URI");
            var pool = parse.GetValue(connections);
            if (pool < 1) throw new InputException("--connections", $"'{pool}' must be 1 or more");

            var hosts = FleetLint.Run(uris.Distinct(StringComparer.Ordinal).ToList(), pool, LintOptions.Default, parse.GetValue(live),
                h => io.Error.WriteLine(h.Reached ? $"fleet: {Name(h.Uri)}: {h.Domains.Count} domains" : $"fleet: {Name(h.Uri)}: unreachable"));
            if (parse.GetValue(format) == "json") FleetOutput.Json(io.Out, hosts);
            else FleetOutput.Text(io.Out, hosts);

            if (hosts.Any(h => !h.Reached)) return ExitCodes.Environment;
            var threshold = parse.GetValue(failOn);
            if (threshold == "none") return ExitCodes.Ok;
            SeverityNames.TryParse(threshold, out var min);
            return hosts.SelectMany(h => h.Domains).Any(d => d.Report?.AnyAtOrAbove(min) == true) ? ExitCodes.Findings : ExitCodes.Ok;
        });
        return command;
    }

    private static string Name(string uri) => uri.Length == 0 ? "(default URI)" : uri;

    /// <summary>One URI a line; blank lines and # comments skipped; surrounding blanks trimmed.</summary>
    private static IEnumerable<string> ReadUris(string path) =>
        ConfigInput.Read(path, Console.In).Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();
}
