using System.CommandLine;
using System.Text.Json;
using VfioKit.Cli.Json;
using VfioKit.Cli.Lint;
using VfioKit.Cli.Rendering;
using VfioKit.Diagnostics;
using VfioKit.Formats;
using VfioKit.GuestView;
using VfioKit.Vm;

namespace VfioKit.Cli.Commands;

/// <summary>`vfiokit guest-view FILE`: what the guest will see for every device of a VM configuration (QEMU command line or script, libvirt domain XML, Proxmox config).</summary>
internal static class GuestViewCommand
{
    public static Command Create(CliIO io)
    {
        var file = new Argument<string>("file") { Description = "A QEMU launch script, a file of QEMU arguments, a libvirt .args file, a libvirt domain XML or a Proxmox VM config; - for stdin. With --connect: a libvirt domain name or UUID." };
        var json = new Option<bool>("--json") { Description = "Write JSON (schema: docs/json/guest-view.md)." };
        var qemu = new Option<string?>("--qemu-version") { Description = "The QEMU version to predict for, e.g. 7.2 (default: the newest vfiokit knows)." };
        var command = new Command("guest-view", "Predict what the guest sees: each device's guest address, PCIe type and link, and QEMU's errors.");
        command.Arguments.Add(file);
        command.Options.Add(json);
        command.Options.Add(qemu);
        var domain = new DomainSource();
        domain.AddTo(command);
        var report = ReportOption.Create("the VM on this host (/)");
        command.Options.Add(report);
        command.SetAction(parse =>
        {
            MachineVersion? version = null;
            if (parse.GetValue(qemu) is { } text)
            {
                if (!MachineVersion.TryParse(text, out var v))
                    throw new InputException("--qemu-version", $"'{text}' is not a QEMU version (expected N.M, e.g. 7.2)");
                version = v;
            }
            // Read once: stdin ("-") cannot be read again for the report.
            var (path, config) = domain.Read(parse, parse.GetValue(file)!, Console.In);
            var result = GuestViewPredictor.Predict(VmConfigFile.Parse(path, config).Topology, version);
            ReportOption.Write(io, parse.GetValue(report), () => ReportCommand.Build("/", (path, config), null));
            if (parse.GetValue(json))
                io.Out.WriteLine(JsonSerializer.Serialize(GuestViewJsonMapping.From(path, result), GuestViewJsonContext.Default.GuestViewJson));
            else
                GuestViewTree.Render(io.Console, path, result);
            return result.Problems.Count > 0 ? ExitCodes.Findings : ExitCodes.Ok;
        });
        return command;
    }
}
