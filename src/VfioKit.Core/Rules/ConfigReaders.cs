using VfioKit.Diagnostics;
using VfioKit.Fixing;
using VfioKit.Fixing.Qemu;
using VfioKit.Formats.Libvirt;
using VfioKit.Formats.Qemu;
using VfioKit.Formats.Proxmox;
using VfioKit.Formats;
using VfioKit.Pci;
using VfioKit.Vm;
using VfioKit.Formats.Libvirt.Addressing;

namespace VfioKit.Rules;

/// <summary>The one place that turns a document of each format into the models rules use.</summary>
public static class ConfigReaders
{
    public static ParsedConfig Read(ConfigDocument document, IHostFacts? host = null)
    {
        switch (document.Format)
        {
            case ConfigFormat.Proxmox:
            {
                var config = ProxmoxConfigReader.Parse(document.Path, document.Text);
                Func<PciSlot, IReadOnlyList<int>>? functions = host is null
                    ? null
                    : slot => host.FunctionsOf(slot).Select(f => f.Address.Function).ToList();
                return new ParsedConfig(ProxmoxTopologyReader.Read(config, functions), ProxmoxTuningReader.Read(config), new ProxmoxEditor(config));
            }
            case ConfigFormat.Libvirt:
            {
                var domain = DomainXml.Parse(document.Text, document.Path);
                return new ParsedConfig(LibvirtTopology.Read(domain), LibvirtTuningReader.Read(domain), new LibvirtEditor(domain));
            }
            case ConfigFormat.Qemu:
            {
                var script = QemuScript.Parse(document.Path, document.Text);
                var (topology, unknown) = ReadAroundUnknownBuses(document, script);
                return new ParsedConfig(topology, QemuTuningReader.Read(script), new QemuEditor(script, topology)) { UnknownBuses = unknown };
            }
            default:
                throw new InputException(document.Path, $"{document.Format.Name()} configurations cannot be read yet");
        }
    }

    /// <summary>
    /// The QEMU reader refuses a PCI device on a bus that does not exist, as QEMU does. Lint reports it
    /// (VK110) and reads on: the device's bus= and addr= are dropped in a copy of the text, which places it
    /// where QEMU would place a device without them; line numbers do not move.
    /// </summary>
    private static (VmTopology, IReadOnlyList<(int, string, string)>) ReadAroundUnknownBuses(ConfigDocument document, QemuScript script)
    {
        var text = document.Text;
        var unknown = new List<(int, string, string)>();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return (QemuCommandLine.Parse(text, document.Path), unknown);
            }
            catch (InputException e) when (attempt < 32 && e.Line is { } line && e.Message.Contains(": no such bus", StringComparison.Ordinal))
            {
                var bus = e.Message[4..e.Message.IndexOf(':')];
                var arg = QemuScript.Parse(document.Path, text).All("device")
                    .FirstOrDefault(a => a.Value is { } v && (a.Option.Line == line || v.Line == line) && DeviceOptions.Parse(v.Value).Get("bus") == bus);
                if (arg?.Value is not { } word) throw;
                var options = DeviceOptions.Parse(word.Value);
                unknown.Add((line, options.Get("id") ?? options.Driver ?? "device", bus));
                var rewritten = ScriptWords.Quote(options.Remove("bus").Remove("addr").ToString(), word.Style == QuoteStyle.Bare ? QuoteStyle.Single : word.Style);
                text = text[..word.Start] + rewritten + text[word.End..];
            }
        }
    }
}
