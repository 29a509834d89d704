using VfioKit.Diagnostics;
using VfioKit.Formats.Libvirt;
using VfioKit.Formats.Proxmox;
using VfioKit.Formats.Qemu;
using VfioKit.Pci;
using VfioKit.Vm;

namespace VfioKit.Formats;

/// <summary>
/// A VM configuration read from a file: what format it was, the placed topology it describes, and the
/// format's document it was read from (exactly one of <see cref="Script"/>, <see cref="Domain"/>,
/// <see cref="Proxmox"/>), from which lint reads the tuning facts and into which fixes are edits.
/// </summary>
public sealed record VmConfig(string Path, ConfigFormat Format, VmTopology Topology)
{
    public QemuScript? Script { get; init; }
    public DomainXml? Domain { get; init; }
    public ProxmoxConfig? Proxmox { get; init; }

    /// <summary>Devices on a bus that does not exist, read around (only when asked for).</summary>
    public IReadOnlyList<UnknownBus> UnknownBuses { get; init; } = [];
}

/// <summary>
/// The one way every verb (guest-view, probe, verify, run, lint, fix, report) turns a VM configuration file
/// of any format vfiokit reads (libvirt domain XML, QEMU argv or launch script, Proxmox config) into its
/// document and placed <see cref="VmTopology"/>: the format is detected from the text's structure
/// (<see cref="ConfigFormatDetector"/>) and the format's own reader does the rest, once.
/// </summary>
public static class VmConfigFile
{
    /// <summary>Reads <paramref name="path"/>, or <paramref name="stdin"/> when the path is "-".</summary>
    /// <param name="functionsOfSlot">For a Proxmox hostpciN naming a whole slot: the host's functions of it.</param>
    public static VmConfig Load(string path, TextReader stdin, Func<PciSlot, IReadOnlyList<int>>? functionsOfSlot = null) =>
        Parse(path, ConfigInput.Read(path, stdin), functionsOfSlot);

    /// <summary>Parses text; <paramref name="path"/> names it in errors.</summary>
    /// <param name="format">The format when already known (else detected).</param>
    /// <param name="readAroundUnknownBuses">Lint's reading: a QEMU device on a bus that does not exist is
    /// listed in <see cref="VmConfig.UnknownBuses"/> instead of refused (QEMU refuses it; lint reports it as VK110).</param>
    public static VmConfig Parse(string path, string text, Func<PciSlot, IReadOnlyList<int>>? functionsOfSlot = null,
        ConfigFormat? format = null, bool readAroundUnknownBuses = false)
    {
        switch (format ?? ConfigFormatDetector.Detect(path, text))
        {
            case ConfigFormat.Libvirt:
            {
                // LibvirtTopology already sets Defaults = None: libvirt always passes -nodefaults.
                var domain = DomainXml.Parse(text, path);
                return new VmConfig(path, ConfigFormat.Libvirt, LibvirtTopology.Read(domain)) { Domain = domain };
            }
            case ConfigFormat.Qemu:
            {
                var script = QemuScript.Parse(path, text);
                var unknown = readAroundUnknownBuses ? new List<UnknownBus>() : null;
                return new VmConfig(path, ConfigFormat.Qemu, QemuCommandLine.Read(script, unknown)) { Script = script, UnknownBuses = unknown ?? [] };
            }
            case ConfigFormat.Proxmox:
            {
                var config = ProxmoxConfigReader.Parse(path, text);
                return new VmConfig(path, ConfigFormat.Proxmox, ProxmoxTopologyReader.Read(config, functionsOfSlot)) { Proxmox = config };
            }
            case var other:
                throw new InputException(path, $"{other.Name()} configurations cannot be read yet");
        }
    }
}
