using VfioKit.Formats.Libvirt;
using VfioKit.Formats.Proxmox;
using VfioKit.Formats.Qemu;
using VfioKit.Pci;
using VfioKit.Vm;
using VfioKit.Formats.Libvirt.Addressing;

namespace VfioKit.Formats;

/// <summary>A VM configuration read from a file: what format it was and the placed topology it describes.</summary>
public sealed record VmConfig(string Path, ConfigFormat Format, VmTopology Topology);

/// <summary>
/// The one way to turn a VM configuration file of any format vfiokit reads (libvirt domain XML, QEMU
/// argv or launch script, Proxmox config) into a placed <see cref="VmTopology"/>: the format is detected
/// from the text (<see cref="ConfigFormatDetector"/>) and the format's own reader does the rest.
/// </summary>
public static class VmConfigFile
{
    /// <summary>Reads <paramref name="path"/>, or <paramref name="stdin"/> when the path is "-".</summary>
    /// <param name="functionsOfSlot">For a Proxmox hostpciN naming a whole slot: the host's functions of it.</param>
    public static VmConfig Load(string path, TextReader stdin, Func<PciSlot, IReadOnlyList<int>>? functionsOfSlot = null) =>
        Parse(path, ConfigInput.Read(path, stdin), functionsOfSlot);

    /// <summary>Parses text of an unknown format; <paramref name="path"/> names it in errors.</summary>
    public static VmConfig Parse(string path, string text, Func<PciSlot, IReadOnlyList<int>>? functionsOfSlot = null)
    {
        var format = ConfigFormatDetector.Detect(path, text);
        var topology = format switch
        {
            // LibvirtTopology already sets Defaults = None: libvirt always passes -nodefaults.
            ConfigFormat.Libvirt => LibvirtTopology.Read(DomainXml.Parse(text, path)),
            ConfigFormat.Qemu => QemuCommandLine.Parse(text, path),
            _ => ProxmoxTopologyReader.Read(ProxmoxConfigReader.Parse(path, text), functionsOfSlot),
        };
        return new VmConfig(path, format, topology);
    }
}
