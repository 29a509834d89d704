using VfioKit.Diagnostics;
using VfioKit.Fixing;
using VfioKit.Fixing.Qemu;
using VfioKit.Formats.Qemu;
using VfioKit.Formats.Proxmox;
using VfioKit.Pci;

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
            case ConfigFormat.Qemu:
            {
                var topology = QemuCommandLine.Parse(document.Text, document.Path);
                var script = QemuScript.Parse(document.Path, document.Text);
                return new ParsedConfig(topology, QemuTuningReader.Read(script), new QemuEditor(script, topology));
            }
            default:
                throw new InputException(document.Path, $"{document.Format.Name()} configurations cannot be read yet");
        }
    }
}
