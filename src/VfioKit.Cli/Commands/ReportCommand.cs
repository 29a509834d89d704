using System.CommandLine;
using VfioKit.Libvirt;
using System.Text.Json;
using VfioKit.Cli.Json;
using VfioKit.Cli.Lint;
using VfioKit.Diagnostics;
using VfioKit.Files;
using VfioKit.Formats;
using VfioKit.Host;
using VfioKit.Report;
using VfioKit.Rules;
using VfioKit.Runtime;

namespace VfioKit.Cli.Commands;

/// <summary>`vfiokit report`: one picture of the host, the VM's guest PCIe tree and the pinning, with the findings on it.</summary>
internal static class ReportCommand
{
    public static Command Create(CliIO io)
    {
        var domain = new Argument<string?>("domain") { Description = "A libvirt domain name (read with virsh dumpxml), or a configuration file.", Arity = ArgumentArity.ZeroOrOne };
        var host = new Option<string>("--host") { Description = "The host's root directory: / (default) or a `vfiokit snapshot`.", DefaultValueFactory = _ => "/" };
        var connect = new Option<string?>("--connect") { Description = "libvirt connection URI for DOMAIN (e.g. qemu:///system)." };
        var config = new Option<string?>("--config") { Description = "The VM configuration: libvirt domain XML, QEMU launch script or argv, Proxmox config; - for stdin." };
        var plan = new Option<string?>("--plan") { Description = "Draw the pinning of this plan (`vfiokit plan --json`) instead of the configuration's own." };
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to this file (default: stdout)." };
        var format = new Option<string?>("--format") { Description = "html, svg (the picture alone), text or json. Default: html with --output, else text." };
        format.AcceptOnlyFromAmong("html", "svg", "text", "json");
        var json = new Option<bool>("--json") { Description = "Same as --format json (schema: docs/json/report.md)." };
        var command = new Command("report", "One picture of the host (CPUs, NUMA, PCI, IOMMU groups), the VM's guest PCIe tree and its pinning, with every finding at the element it concerns. Exit 1 when a finding is an error.")
        {
            domain, host, connect, config, plan, output, format, json,
        };
        command.SetAction(parse =>
        {
            var report = Build(parse.GetValue(host)!, parse.GetValue(config), parse.GetValue(domain), parse.GetValue(connect), parse.GetValue(plan));
            var path = parse.GetValue(output);
            var kind = parse.GetValue(json) ? "json" : parse.GetValue(format) ?? (path is null ? "text" : "html");
            var text = kind switch
            {
                "html" => ReportHtml.Render(report, RulePages.Page),
                "svg" => ReportHtml.RenderSvg(report),
                "json" => JsonSerializer.Serialize(ReportJsonMapping.From(report), ReportJsonContext.Default.ReportJson) + "\n",
                _ => ReportText.Render(report),
            };
            if (path is null) io.Out.Write(text);
            else
            {
                Write(path, text, "--output");
                io.Error.WriteLine($"vfiokit: wrote {path} ({report.Findings.Count} findings)");
            }
            return report.Findings.Any(f => f.Severity == "error") ? ExitCodes.Findings : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Reads the host, the VM (file or libvirt domain) and the plan, and builds the report; the shortcut `--report` of other verbs uses it too.</summary>
    public static PassthroughReport Build(string root, string? configPath, string? domain, string? connect, string? planPath) =>
        Build(root, configPath, domain, connect, planPath is null ? null : PinCommand.ReadPlan(planPath));

    /// <summary>As above with a plan already made (plan --report).</summary>
    public static PassthroughReport Build(string root, string? configPath, string? domain, string? connect, PinPlan? plan)
    {
        if (!Directory.Exists(root)) throw new InputException("--host", $"'{root}' is not a directory");
        if (configPath is not null && domain is not null) throw new InputException("--config", "give either --config FILE or a DOMAIN, not both");
        var source = configPath ?? domain;
        (string, string)? config = source is null ? null
            : connect is not null || (domain is not null && !File.Exists(domain))
                ? (domain ?? source, DumpXml(connect, domain ?? source))
                : (source, ConfigInput.Read(source, Console.In));
        return Build(root, config, plan);
    }

    /// <summary>As above with the configuration's text already read (guest-view --report reads stdin once).</summary>
    public static PassthroughReport Build(string root, (string Path, string Text)? config, PinPlan? plan)
    {
        if (!Directory.Exists(root)) throw new InputException("--host", $"'{root}' is not a directory");
        var model = HostModel.Read(new SysfsRoot(root));
        var facts = new HostModelFacts(model);
        ReportVm? vm = null;
        Pinning? pinning = null;
        if (config is { } c)
        {
            var (path, text) = c;
            var document = new ConfigDocument(path, text, ConfigFormatDetector.Detect(path, text));
            (vm, pinning) = ReportBuilder.ReadVm(document, model, facts);
        }
        if (plan is not null)
        {
            pinning = new Pinning(PinningSource.Plan,
                [
                    .. plan.Vcpus.Select(v => new PinnedThread(PinnedThreadKind.Vcpu, v.Vcpu, Host.Cpu.CpuList.Of(v.HostCpu))),
                    .. plan.EmulatorCpus.IsEmpty ? [] : new[] { new PinnedThread(PinnedThreadKind.Emulator, 0, plan.EmulatorCpus) },
                    .. plan.IoThreadCpus.IsEmpty ? [] : new[] { new PinnedThread(PinnedThreadKind.IoThread, 1, plan.IoThreadCpus) },
                ],
                plan.MemoryNodes);
        }
        return ReportBuilder.Build(model, vm, pinning);
    }

    /// <summary>The domain's XML as `virsh dumpxml` prints it (the running definition when it runs), through libvirt's library.</summary>
    private static string DumpXml(string? connect, string domain)
    {
        using var connection = LibvirtConnection.Open(connect, readOnly: true);
        return connection.DomainXml(domain, inactive: false);
    }

    /// <summary>Writes the report as fix --write does (docs/writing-files.md): never half-written, a previous report kept as FILE.bak.</summary>
    internal static void Write(string path, string text, string option)
    {
        if (Directory.Exists(path)) throw new InputException(option, $"'{path}' is a directory");
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(dir)) throw new InputException(option, $"directory '{dir}' does not exist");
        FileReplacement.Write(path, new System.Text.UTF8Encoding(false).GetBytes(text),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, overwrite: true);
    }
}
