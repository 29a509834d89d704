using VfioKit.Diagnostics;
using VfioKit.Fixing;
using VfioKit.Formats;
using VfioKit.Pci;
using VfioKit.Vm;
using VfioKit.Formats.Libvirt;

namespace VfioKit.Rules;

/// <summary>
/// Turns a document into the models rules use: the topology and the format's document come from
/// <see cref="VmConfigFile"/> (the reader every verb uses), the tuning facts and the repairer from that document.
/// </summary>
public static class ConfigReaders
{
    public static ParsedConfig Read(ConfigDocument document, IHostFacts? host = null)
    {
        Func<PciSlot, IReadOnlyList<int>>? functions = host is null
            ? null
            : slot => host.FunctionsOf(slot).Select(f => f.Address.Function).ToList();
        var config = VmConfigFile.Parse(document.Path, document.Text, functions, document.Format, readAroundUnknownBuses: true);
        return config switch
        {
            { Proxmox: { } proxmox } => new ParsedConfig(config.Topology, ProxmoxTuningReader.Read(proxmox), new ProxmoxRepairer(proxmox)),
            { Domain: { } domain } => new ParsedConfig(config.Topology, LibvirtTuningReader.Read(domain), new LibvirtRepairer(domain, config.Topology)),
            { Script: { } script } => new ParsedConfig(config.Topology, QemuTuningReader.Read(script, ownFile: true), new QemuRepairer(script, config.Topology))
            {
                UnknownBuses = config.UnknownBuses,
            },
            _ => throw new InputException(document.Path, $"{document.Format.Name()} configurations cannot be read yet"),
        };
    }
}
