using VfioKit.Files;
using VfioKit.Pci;

namespace VfioKit.Host;

/// <summary>The NUMA node one PCI function is attached to, read on its own: `plan` needs only this of the PCI
/// tree, and reading the whole host model for it would cost a config-space walk per function.</summary>
public static class PciFunctionNode
{
    /// <summary>False when the root has no such function; <paramref name="node"/> is -1 when the kernel does not know.</summary>
    public static bool TryRead(SysfsRoot root, PciAddress address, out int node)
    {
        var dir = $"{PciFunctionReader.DevicesDirectory}/{address}";
        node = -1;
        if (!root.Exists(dir)) return false;
        node = SysfsNumber.Int(root.ReadTextOrNull($"{dir}/numa_node")) ?? -1;
        return true;
    }

    /// <summary>The directory the functions are listed in, for messages.</summary>
    public static string DevicesDirectory(SysfsRoot root) => root.Resolve(PciFunctionReader.DevicesDirectory);
}
