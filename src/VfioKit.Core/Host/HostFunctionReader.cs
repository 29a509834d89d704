using VfioKit.Files;
using VfioKit.Pci;

namespace VfioKit.Host;

/// <summary>
/// One host function read on its own, as <see cref="HostModel"/> has it where its link is concerned (LnkCap, and the
/// slot link behind an AMD card's own switch, <see cref="CardSwitch"/>): its directory, and for an AMD function the
/// bridges above it as long as they are AMD's, the first other one only as far as its vendor file. For a caller that
/// needs a few functions' links and not the host (the KubeVirt hook, run on every VM start): HostModel.Read lists and
/// reads every function, the IOMMU groups, the CPUs, memory and pci.ids.
/// </summary>
public static class HostFunctionReader
{
    /// <summary>The function at <paramref name="address"/> under <paramref name="root"/>, null when sysfs has no such
    /// function; odd files become notes, as in the host model.</summary>
    public static PciFunction? Read(SysfsRoot root, PciAddress address, ICollection<string> notes)
    {
        if (!root.Exists(DirectoryOf(address))) return null;
        var function = PciFunctionReader.Read(root, address, notes);
        if (function.VendorId != CardSwitch.AmdVendorId || function.IsBridge) return function;
        var above = new Dictionary<PciAddress, PciFunction>();
        foreach (var parent in function.Parents)
        {
            // The bridge that is not the card's ends the walk: its vendor says so without the rest of its files.
            if (SysfsNumber.Hex(root.ReadTextOrNull($"{DirectoryOf(parent)}/vendor")) != CardSwitch.AmdVendorId) break;
            above[parent] = PciFunctionReader.Read(root, parent, notes);
        }
        return CardSwitch.SlotLinkOf(function, above) is { } slot ? function with { SlotLink = slot } : function;
    }

    /// <summary>The function's directory relative to the root: sys/bus/pci/devices/ADDRESS.</summary>
    public static string DirectoryOf(PciAddress address) => $"{PciFunctionReader.DevicesDirectory}/{address}";
}
