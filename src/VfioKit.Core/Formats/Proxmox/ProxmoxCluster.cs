using System.Globalization;
using VfioKit.Diagnostics;

namespace VfioKit.Formats.Proxmox;

/// <summary>One VM config of a Proxmox cluster: the node that owns it, its VM id and the file.</summary>
public sealed record ProxmoxClusterVm(string Node, int VmId, string Path);

/// <summary>
/// A Proxmox cluster's VM configs as pmxcfs shows them on every node: ROOT/nodes/NODE/qemu-server/VMID.conf
/// (ROOT is /etc/pve on a node, or a copy of it). Sorted by node, then VM id; other files are not VM configs.
/// </summary>
public static class ProxmoxCluster
{
    public const string DefaultRoot = "/etc/pve";

    public static IReadOnlyList<ProxmoxClusterVm> Vms(string root)
    {
        var nodes = Path.Combine(root, "nodes");
        if (!Directory.Exists(nodes))
            throw new InputException(root, $"is not a Proxmox cluster file system: no {nodes} directory (pmxcfs mounts it at {DefaultRoot})");
        var vms = new List<ProxmoxClusterVm>();
        foreach (var node in Directory.GetDirectories(nodes))
        {
            var qemu = Path.Combine(node, "qemu-server");
            if (!Directory.Exists(qemu)) continue;
            foreach (var file in Directory.GetFiles(qemu, "*.conf"))
                if (int.TryParse(Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                    vms.Add(new ProxmoxClusterVm(Path.GetFileName(node), id, file));
        }
        return vms.OrderBy(v => v.Node, StringComparer.Ordinal).ThenBy(v => v.VmId).ToList();
    }
}
