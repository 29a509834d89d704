using System.Globalization;
using VfioKit.Diagnostics;
using VfioKit.Formats;
using VfioKit.Formats.Proxmox;
using VfioKit.Libvirt;
using VfioKit.Rules;

namespace VfioKit.Fleet;

/// <summary>
/// `fleet lint --proxmox [DIR]`: a Proxmox cluster as a fleet. pmxcfs shows every node's VM configs on every node
/// (DIR/nodes/NODE/qemu-server/VMID.conf), so one directory is the whole cluster: each node is a host (named by
/// the node), each VM config a domain named by its VM id, with the UUID of its smbios1 line when it has one. Whether
/// a VM runs is not in its config: it is reported as not running.
/// </summary>
public static class FleetProxmox
{
    public static IReadOnlyList<FleetHost> Lint(string root, LintOptions options) =>
        ProxmoxCluster.Vms(root)
            .AsParallel().AsOrdered()
            .Select(vm => (vm.Node, Domain: Domain(vm, options)))
            .ToList()
            .GroupBy(x => x.Node, StringComparer.Ordinal)
            .Select(g => new FleetHost(g.Key, g.Select(x => x.Domain).ToList(), null))
            .ToList();

    private static FleetDomain Domain(ProxmoxClusterVm vm, LintOptions options)
    {
        var id = vm.VmId.ToString(CultureInfo.InvariantCulture);
        try
        {
            var text = ConfigInput.Read(vm.Path, TextReader.Null);
            return new FleetDomain(new LibvirtDomainName(id, Uuid(vm.Path, text), false), Linter.Lint(vm.Path, text, options), null);
        }
        catch (InputException e) { return new FleetDomain(new LibvirtDomainName(id, "", false), null, e.Describe()); }
    }

    /// <summary>The uuid= of the current configuration's smbios1 entry (the reader leaves snapshots' [sections] out), or "".</summary>
    private static string Uuid(string path, string text) =>
        ProxmoxConfigReader.Parse(path, text).Value("smbios1")?.Split(',')
            .FirstOrDefault(p => p.StartsWith("uuid=", StringComparison.Ordinal))?["uuid=".Length..].Trim() ?? "";
}
