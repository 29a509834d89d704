using System.CommandLine;
using System.Text.Json;
using VfioKit.Cli.Json;
using VfioKit.Cli.Rendering;
using VfioKit.Diagnostics;
using VfioKit.Formats.Qemu;
using VfioKit.GuestView;
using VfioKit.Vm;

namespace VfioKit.Cli.Commands;

/// <summary>`vfiokit guest-view FILE`: what the guest will see for every device of a QEMU command line or launch script.</summary>
internal static class GuestViewCommand
{
    public static Command Create(CliIO io)
    {
        var file = new Argument<string>("file") { Description = "A QEMU launch script, a file of QEMU arguments, or a libvirt .args file." };
        var json = new Option<bool>("--json") { Description = "Write JSON (schema: docs/json/guest-view.md)." };
        var qemu = new Option<string?>("--qemu-version") { Description = "The QEMU version to predict for, e.g. 7.2 (default: the newest vfiokit knows)." };
        var command = new Command("guest-view", "Predict what the guest sees: each device's guest address, PCIe type and link, and QEMU's errors.");
        command.Arguments.Add(file);
        command.Options.Add(json);
        command.Options.Add(qemu);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            MachineVersion? version = null;
            if (parse.GetValue(qemu) is { } text)
            {
                if (!MachineVersion.TryParse(text, out var v))
                    throw new InputException("--qemu-version", $"'{text}' is not a QEMU version (expected N.M, e.g. 7.2)");
                version = v;
            }
            if (!File.Exists(path)) throw new InputException(path, "no such file");
            var result = GuestViewPredictor.Predict(QemuCommandLine.Load(path), version);
            if (parse.GetValue(json))
                io.Out.WriteLine(JsonSerializer.Serialize(GuestViewJsonMapping.From(path, result), GuestViewJsonContext.Default.GuestViewJson));
            else
                GuestViewTree.Render(io.Console, path, result);
            return result.Problems.Count > 0 ? ExitCodes.Findings : ExitCodes.Ok;
        });
        return command;
    }
}
