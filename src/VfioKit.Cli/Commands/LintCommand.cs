using System.CommandLine;
using System.Reflection;
using VfioKit.Cli.Lint;
using VfioKit.Diagnostics;
using VfioKit.Formats;
using VfioKit.Formats.Proxmox;
using VfioKit.Rules;

namespace VfioKit.Cli.Commands;

/// <summary>`vfiokit lint FILE...`: every topology and tuning mistake in libvirt XML, QEMU command lines and Proxmox configs.</summary>
internal static class LintCommand
{
    public static Command Create(CliIO io)
    {
        var files = new Argument<string[]>("file") { Description = "Configuration files (libvirt domain XML, QEMU argv or launch script, Proxmox VM config); - for stdin. With --connect: libvirt domain names or UUIDs.", Arity = ArgumentArity.ZeroOrMore };
        var connect = new Option<string?>("--connect") { Description = "Read the domains from libvirt at this URI (qemu:///system, qemu+ssh://host/system; '' for libvirt's default, LIBVIRT_DEFAULT_URI)." };
        var all = new Option<bool>("--all") { Description = "With --connect: every domain, running or not." };
        var proxmox = new Option<string?>("--proxmox") { Description = "Lint every VM config of a Proxmox cluster: DIR/nodes/NODE/qemu-server/VMID.conf (DIR defaults to /etc/pve).", Arity = ArgumentArity.ZeroOrOne };
        var live = new Option<bool>("--live") { Description = "With --connect: lint a running domain's live XML instead of its persistent definition." };
        var format = new Option<string>("--format") { Description = "Output: text, json or sarif.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "sarif");
        var json = new Option<bool>("--json") { Description = "Same as --format json." };
        var failOn = new Option<string>("--fail-on") { Description = "Exit 1 when a finding is at or above: error, warning, info, or none.", DefaultValueFactory = _ => "warning" };
        failOn.AcceptOnlyFromAmong("error", "warning", "info", "none");
        var options = new LintCliOptions();
        var command = new Command("lint", "Find topology and tuning mistakes in a VM configuration. Exit 0: nothing at or above --fail-on; 1: findings; 2: unreadable input.")
        {
            files, format, json, failOn, options.Host, options.Resolution, connect, all, live, proxmox,
        };
        command.SetAction(parse =>
        {
            var settings = options.Read(parse);
            var names = parse.GetValue(files) ?? [];
            List<LintReport> reports;
            if (parse.GetResult(connect) is not null)
                reports = LibvirtDomains.Read(parse.GetValue(connect) ?? "", names, parse.GetValue(all), parse.GetValue(live))
                    .Select(d => Linter.Lint(d, settings.Options, settings.Host, files: settings.Files)).ToList();
            else if (parse.GetResult(proxmox) is not null && names.Length > 0)
                throw new InputException("--proxmox", "lints every VM config of the cluster: give no files beside it");
            else if (parse.GetResult(proxmox) is not null)
                reports = ProxmoxCluster.Vms(parse.GetValue(proxmox) ?? ProxmoxCluster.DefaultRoot)
                    .Select(vm => Linter.Lint(vm.Path, ConfigInput.Read(vm.Path, Console.In), settings.Options, settings.Host, settings.Files)).ToList();
            else if (parse.GetValue(all) || parse.GetValue(live))
                throw new InputException(parse.GetValue(all) ? "--all" : "--live", "reads domains from libvirt: give --connect URI");
            else if (names.Length == 0)
                throw new InputException("file", "give a configuration file (- for stdin), or DOMAIN --connect URI");
            else
                reports = names.Select(path => Linter.Lint(path, ConfigInput.Read(path, Console.In), settings.Options, settings.Host, settings.Files)).ToList();
            var output = parse.GetValue(json) ? "json" : parse.GetValue(format);
            switch (output)
            {
                case "json": LintOutput.Json(io.Out, reports); break;
                case "sarif": LintOutput.Sarif(io.Out, reports, Version()); break;
                default: LintOutput.Text(io.Out, reports); break;
            }
            var threshold = parse.GetValue(failOn);
            if (threshold == "none") return ExitCodes.Ok;
            SeverityNames.TryParse(threshold, out var min);
            return reports.Any(r => r.AnyAtOrAbove(min)) ? ExitCodes.Findings : ExitCodes.Ok;
        });
        return command;
    }

    private static string Version() =>
        typeof(LintCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
