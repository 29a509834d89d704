using VfioKit.Formats.Proxmox;
using VfioKit.Tests.Cli;

namespace VfioKit.Tests.Formats.Proxmox;

/// <summary>`lint --proxmox DIR` over a two-node cluster tree laid out as pmxcfs shows /etc/pve.</summary>
public class ProxmoxClusterLintTests
{
    private static readonly string Good = File.ReadAllText(TestPaths.DataFile("configs", "proxmox-q35-gpu.conf"));

    // The same VM with its GPU passed without pcie=1 on i440fx: qemu-server puts it on a conventional bus.
    private static readonly string Bad = Good.Replace(",pcie=1", "", StringComparison.Ordinal).Replace("machine: pc-q35-8.1\n", "", StringComparison.Ordinal);

    private static TempDirectory Cluster()
    {
        var dir = new TempDirectory("vfiokit-pve-");
        void Vm(string node, string name, string text)
        {
            var qemu = Path.Combine(dir.Path, "nodes", node, "qemu-server");
            Directory.CreateDirectory(qemu);
            File.WriteAllText(Path.Combine(qemu, name), text);
        }
        Vm("pve1", "101.conf", Good);
        Vm("pve1", "102.conf", Bad);
        Vm("pve2", "201.conf", Bad);
        Vm("pve2", "notes.txt", "not a VM config");
        Directory.CreateDirectory(Path.Combine(dir.Path, "nodes", "pve3")); // a node without VMs
        return dir;
    }

    [Fact]
    public void Every_vm_config_of_every_node_is_found_by_node_and_vm_id()
    {
        using var dir = Cluster();
        var vms = ProxmoxCluster.Vms(dir.Path);
        Assert.Equal(["pve1/101", "pve1/102", "pve2/201"], vms.Select(v => $"{v.Node}/{v.VmId}"));
    }

    [Fact]
    public void Lint_proxmox_reports_each_vm_at_its_node_path_and_the_good_one_clean_of_errors()
    {
        using var dir = Cluster();
        var run = CliRun.Of("lint", "--proxmox", dir.Path);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("nodes/pve1/qemu-server/102.conf:", run.Out);
        Assert.Contains("nodes/pve2/qemu-server/201.conf:", run.Out);
        Assert.Contains("VK101", run.Out); // i440fx with passthrough
        Assert.DoesNotContain("nodes/pve1/qemu-server/101.conf:10: error", run.Out);
        Assert.Contains("3 files:", run.Out);
    }

    [Fact]
    public void A_directory_that_is_not_a_cluster_is_bad_input()
    {
        using var dir = new TempDirectory("vfiokit-pve-");
        var run = CliRun.Of("lint", "--proxmox", dir.Path);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is not a Proxmox cluster file system", run.Error);
    }
}
