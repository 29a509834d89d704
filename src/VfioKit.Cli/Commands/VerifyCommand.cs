using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using VfioKit.Cli.Json;
using VfioKit.Cli.Rendering;
using VfioKit.Diagnostics;
using VfioKit.Formats;
using VfioKit.Host;
using VfioKit.Pci;
using VfioKit.Verify;
using VfioKit.Verify.Agent;
using VfioKit.Files;

namespace VfioKit.Cli.Commands;

/// <summary>
/// `vfiokit verify [REPORT | DOMAIN]`: proves from inside the guest that every passed function got its
/// PCI Express link. The guest's report comes from a file (lspci text, the Windows script's JSON), from
/// the guest agent (--qga SOCKET, or DOMAIN with --connect URI), or, run inside a Linux guest, from its sysfs.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create(CliIO io)
    {
        var report = new Argument<string?>("report")
        {
            Description = "The guest's report: lspci -vv / -vvv / -xxxx text or the Windows script's JSON; - for stdin. With --connect: the libvirt domain. Without: this machine's sysfs (run inside a Linux guest).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var config = new Option<string?>("--config") { Description = "The VM's configuration (libvirt XML, QEMU command line or script, Proxmox config): which functions are passed and where the guest should see them." };
        var host = new Option<string?>("--host") { Description = "The VM host's root directory (/ or a host snapshot): the cards' own links on the host." };
        var qga = new Option<string?>("--qga") { Description = "Collect through the QEMU guest agent at this socket (-chardev socket,path=SOCKET,... name=org.qemu.guest_agent.0)." };
        var connect = new Option<string?>("--connect") { Description = "Collect through libvirt's guest agent channel of the domain named as the argument (libvirt's virDomainQemuAgentCommand: libvirt-qemu.so.0)." };
        var sysfs = new Option<string?>("--sysfs") { Description = "Read the PCI functions of this root's sysfs instead of / (e.g. a copy of a guest's /sys)." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds the guest agent may take to collect.", DefaultValueFactory = _ => 60 };
        var windowsScript = new Option<bool>("--windows-script") { Description = "Print the PowerShell script to run in a Windows guest; its JSON output is a report verify reads." };
        var json = new Option<bool>("--json") { Description = "Write JSON (schema: docs/json/verify.md)." };
        var command = new Command("verify", "Prove from inside the guest that every passed function got its PCIe link: found, type, link vs the host.");
        command.Arguments.Add(report);
        foreach (var o in new Option[] { config, host, qga, connect, sysfs, timeout, windowsScript, json }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            if (parse.GetValue(windowsScript))
            {
                io.Out.Write(WindowsCollector.Script);
                return ExitCodes.Ok;
            }
            var argument = parse.GetValue(report);
            var socket = parse.GetValue(qga);
            var uri = parse.GetValue(connect);
            if (socket is not null && uri is not null) throw new InputException("--qga", "give either --qga SOCKET or DOMAIN --connect URI, not both");
            if (uri is not null && argument is null) throw new InputException("--connect", "name the libvirt domain: vfiokit verify DOMAIN --connect URI");
            if (socket is not null && argument is not null) throw new InputException("--qga", $"--qga collects the report itself: drop '{argument}'");
            var seconds = parse.GetValue(timeout);
            if (seconds is < 1 or > 3600) throw new InputException("--timeout", $"{seconds} is not between 1 and 3600 seconds");

            var configPath = parse.GetValue(config);
            var topology = configPath is null ? null : VmConfigFile.Load(configPath, Console.In).Topology;
            Func<PciAddress, PcieFacts?>? hostFacts = null;
            if (parse.GetValue(host) is { } root)
            {
                if (!Directory.Exists(root)) throw new InputException("--host", $"'{root}' is not a directory");
                var model = HostModel.Read(new SysfsRoot(root));
                hostFacts = a => model.PciFunctions.FirstOrDefault(f => f.Address == a)?.SlotPcie;
            }

            GuestInventory guest;
            if (socket is not null || uri is not null)
            {
                string text;
                try { text = Collect(socket, uri, argument, TimeSpan.FromSeconds(seconds)); }
                catch (GuestAgentException e)
                {
                    io.Error.WriteLine($"vfiokit: guest agent: {e.Message}");
                    return ExitCodes.Environment;
                }
                guest = GuestReportReader.Parse(text, socket is not null ? "guest agent " + socket : $"guest agent of {argument}");
            }
            else if (argument is not null) guest = GuestReportReader.Load(argument, Console.In);
            else guest = GuestSysfs.Read(new SysfsRoot(parse.GetValue(sysfs) ?? "/"));

            var result = LinkVerifier.Verify(guest, topology, hostFacts);
            if (parse.GetValue(json))
                io.Out.WriteLine(JsonSerializer.Serialize(VerifyJsonMapping.From(result, configPath), VerifyJsonContext.Default.VerifyJson));
            else
                VerifyText.Write(io.Out, result, configPath);
            return result.AllLinked ? ExitCodes.Ok : ExitCodes.Findings;
        });
        return command;
    }

    private static string Collect(string? socket, string? uri, string? domain, TimeSpan deadline)
    {
        using var cancel = new CancellationTokenSource(deadline + TimeSpan.FromSeconds(10));
        return Task.Run(async () =>
        {
            try
            {
                await using IGuestAgentChannel channel = socket is not null
                    ? await GuestAgentSocket.ConnectAsync(socket, cancel.Token).ConfigureAwait(false)
                    : LibvirtAgentChannel.Open(uri, domain!, deadline);
                return await new GuestAgent(channel) { Deadline = deadline }.CollectAsync(cancel.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e)
            {
                throw new GuestAgentException($"no answer from the guest agent within {deadline.TotalSeconds:0} s", e);
            }
        }).GetAwaiter().GetResult();
    }
}
