using VfioKit.Diagnostics;
using VfioKit.Fixing;
using VfioKit.Fixing.Qemu;
using VfioKit.Formats.Libvirt;
using VfioKit.Formats.Qemu;
using VfioKit.Formats.Proxmox;
using VfioKit.Formats;
using VfioKit.Pci;
using VfioKit.Vm;

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
                var unknown = new List<UnknownBus>();
                var topology = QemuCommandLine.Read(script, unknown);
                return new ParsedConfig(topology, QemuTuningReader.Read(script), new QemuEditor(script, topology)) { UnknownBuses = unknown.Select(u => (u.Line, u.Device, u.Bus)).ToList() };
            }
            default:
                throw new InputException(document.Path, $"{document.Format.Name()} configurations cannot be read yet");
        }
    }
}
