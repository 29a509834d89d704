using System.Text.Json;
using VfioKit.Tests.Cli;

namespace VfioKit.Tests.Fleet;

/// <summary>`fleet lint --proxmox DIR` over a two-node cluster tree laid out as pmxcfs shows /etc/pve: nodes are the
/// hosts, VM ids the domains.</summary>
public class FleetProxmoxTests
{
    private const string Uuid = "7f3c2a10-5b8e-4c1d-9e2f-0a1b2c3d4e5f";
    private static readonly string Good = File.ReadAllText(TestPaths.DataFile("configs", "proxmox-q35-gpu.conf"));

    // The same VM without pcie=1 on i440fx: qemu-server puts its GPU on a conventional bus (VK101).
    private static readonly string Bad = Good.Replace(",pcie=1", "", StringComparison.Ordinal).Replace("machine: pc-q35-8.1\n", "", StringComparison.Ordinal);

    private static TempDirectory Cluster()
    {
        var dir = new TempDirectory("vfiokit-fleetpve-");
        void Vm(string node, string name, string text)
        {
            var qemu = Path.Combine(dir.Path, "nodes", node, "qemu-server");
            Directory.CreateDirectory(qemu);
            File.WriteAllText(Path.Combine(qemu, name), text);
        }
        Vm("pve1", "101.conf", Good);
        Vm("pve1", "102.conf", $"smbios1: uuid={Uuid}\n" + Bad);
        Vm("pve2", "201.conf", Bad);
        Vm("pve2", "notes.txt", "not a VM config");
        return dir;
    }

    [Fact]
    public void Each_node_is_a_host_and_each_vm_id_a_domain_with_its_findings()
    {
        using var dir = Cluster();
        var run = CliRun.Of("fleet", "lint", "--proxmox", dir.Path, "--format", "json");
        Assert.True(run.ExitCode == 1, run.Error);
        using var doc = JsonDocument.Parse(run.Out);
        var hosts = doc.RootElement.GetProperty("hosts").EnumerateArray().ToList();
        Assert.Equal(["pve1", "pve2"], hosts.Select(h => h.GetProperty("uri").GetString()));
        Assert.Equal(["101", "102"], hosts[0].GetProperty("domains").EnumerateArray().Select(d => d.GetProperty("name").GetString()));
        var vm102 = hosts[0].GetProperty("domains")[1];
        Assert.Equal(Uuid, vm102.GetProperty("uuid").GetString());
        var vk101 = vm102.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("rule").GetString() == "VK101");
        Assert.EndsWith("nodes/pve1/qemu-server/102.conf", vk101.GetProperty("file").GetString());
        Assert.DoesNotContain(hosts[0].GetProperty("domains")[0].GetProperty("findings").EnumerateArray(), f => f.GetProperty("rule").GetString() == "VK101");
        Assert.Contains(doc.RootElement.GetProperty("summary").EnumerateArray(),
            r => r.GetProperty("host").GetString() == "pve2" && r.GetProperty("rule").GetString() == "VK101" && r.GetProperty("count").GetInt32() >= 1);

        var text = CliRun.Of("fleet", "lint", "--proxmox", dir.Path);
        Assert.Contains($"pve1 102 ({Uuid}):", text.Out);
        Assert.Contains("pve2 201:", text.Out);
        Assert.Contains("2 hosts (0 unreachable), 3 domains:", text.Out);
        Assert.Contains("fixable with `vfiokit fix FILE --write`", text.Out);
        Assert.Contains("fleet: node pve1: 2 VMs", text.Error);
    }

    [Fact]
    public void Proxmox_with_connect_or_a_directory_that_is_not_a_cluster_is_bad_input()
    {
        using var dir = Cluster();
        var both = CliRun.Of("fleet", "lint", "--proxmox", dir.Path, "--connect", "test:///default");
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("vfiokit: --proxmox: reads the cluster's VM config files", both.Error);

        using var empty = new TempDirectory("vfiokit-fleetpve-");
        var run = CliRun.Of("fleet", "lint", "--proxmox", empty.Path);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is not a Proxmox cluster file system", run.Error);
    }
}
