using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using VfioKit.Host;
using VfioKit.Pci;
using VfioKit.Tests.Cli;
using VfioKit.Files;

namespace VfioKit.Tests.Host;

/// <summary>
/// The host model on snapshots of real QEMU guests (scripts/lab/host.sh; tests/VfioKit.Tests/Data/hosts): what a
/// user checks before passing a GPU through, against the QEMU arguments that made the guest, the guest
/// kernel's own sysfs, and lspci reading the same config bytes.
/// </summary>
public partial class LabHostTests
{
    private static string[] HostNames => [.. Directory.GetDirectories(TestPaths.DataFile("hosts")).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> Hosts => new(HostNames);

    private static HostModel Read(string name) => HostModel.Read(new SysfsRoot(TestPaths.DataFile("hosts", name)));

    private static string QemuArgs(string name) => File.ReadAllText(TestPaths.DataFile("hosts", name + ".qemu.args")).Replace('\n', ' ');

    /// <summary>The members of a group as the guest kernel listed them (the snapshot's own directory).</summary>
    private static string[] GroupMembers(string name, int group) =>
        Directory.GetFileSystemEntries(TestPaths.DataFile("hosts", name, "sys", "kernel", "iommu_groups", group.ToString(System.Globalization.CultureInfo.InvariantCulture), "devices"))
            .Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Fact]
    public void Lab_snapshots_are_there()
    {
        Assert.Contains("numa2-pxb", HostNames);
        Assert.Contains("q35-no-iommu", HostNames);
        Assert.True(HostNames.Length >= 3);
    }

    [Fact]
    public void The_gpu_behind_a_numa_1_expander_is_found_whole_viable_and_on_node_1()
    {
        var host = Read("numa2-pxb");
        Assert.Contains("pxb-pcie,id=pxb1,bus_nr=0x80,numa_node=1", QemuArgs("numa2-pxb"));
        // pxb1 has bus 0x80; its root port's secondary bus is 0x81; virtio-vga at 0.0 and ich9-intel-hda at 0.1.
        var gpu = Assert.Single(host.Gpus);
        Assert.Equal(PciSlot.Parse("0000:81:00"), gpu.Slot);
        Assert.Equal(["0000:81:00.0", "0000:81:00.1"], gpu.Functions.Select(f => f.Function.Address.ToString()));
        Assert.Equal([FunctionRole.Display, FunctionRole.HdmiAudio], gpu.Functions.Select(f => f.Role));
        Assert.Equal(1, gpu.NumaNode);
        var group = Assert.Single(gpu.Viability.Groups);
        Assert.Equal(["0000:81:00.0", "0000:81:00.1"], GroupMembers("numa2-pxb", group));
        Assert.Equal(Viability.Viable, gpu.Viability.Verdict);
        // The NVMe behind pxb0 (numa_node=0) is on node 0.
        Assert.Equal(0, host.Function(PciAddress.Parse("0000:41:00.0"))!.NumaNode);
        // Two guest NUMA nodes with the huge pages the guest command line reserved per node (hugepages=0:8,1:4).
        Assert.Equal([0, 1], host.Cpu.Nodes.Select(n => n.Id));
        Assert.Equal(CheckStatus.Pass, host.Readiness.Single(c => c.Id == "hugepages").Status);
        Assert.Contains("node 0: 8 x 2M", host.Readiness.Single(c => c.Id == "hugepages").Detail);
        Assert.Contains("node 1: 4 x 2M", host.Readiness.Single(c => c.Id == "hugepages").Detail);
    }

    [Fact]
    public void Without_intel_iommu_the_host_is_not_ready_and_the_cli_says_so()
    {
        Assert.DoesNotContain("intel-iommu", QemuArgs("q35-no-iommu"));
        var host = Read("q35-no-iommu");
        Assert.Empty(host.IommuGroups);
        Assert.Equal(CheckStatus.Fail, host.Readiness.Single(c => c.Id == "iommu").Status);
        var gpu = Assert.Single(host.Gpus);
        Assert.Equal(PciSlot.Parse("0000:00:05"), gpu.Slot);
        Assert.Equal(2, gpu.Functions.Count);
        Assert.Equal(Viability.Unknown, gpu.Viability.Verdict);

        var run = CliRun.Of("host", "--root", TestPaths.DataFile("hosts", "q35-no-iommu"), "--json");
        Assert.Equal(1, run.ExitCode);
        var json = JsonDocument.Parse(run.Out).RootElement;
        Assert.False(json.GetProperty("ready").GetBoolean());
        Assert.False(json.GetProperty("gpus")[0].GetProperty("viable").GetBoolean());
        Assert.Equal("unknown", json.GetProperty("gpus")[0].GetProperty("viability").GetString());
    }

    [Fact]
    public void A_gpu_bound_to_vfio_beside_the_boot_vga_is_the_one_to_pass()
    {
        var host = Read("q35-gpu-iommu");
        Assert.Contains("-device VGA,id=video0,bus=pcie.0,addr=0x02", QemuArgs("q35-gpu-iommu"));
        Assert.Equal([PciSlot.Parse("0000:00:02"), PciSlot.Parse("0000:01:00")], host.Gpus.Select(g => g.Slot));
        var boot = host.Gpus[0];
        var gpu = host.Gpus[1];
        Assert.True(boot.BootVga);
        Assert.False(gpu.BootVga);
        Assert.Equal(DriverState.VfioPci, gpu.Driver);
        Assert.All(gpu.Functions, f => Assert.Equal("vfio-pci", f.Function.Driver));
        Assert.Equal(Viability.Viable, gpu.Viability.Verdict);
        Assert.Equal(GroupMembers("q35-gpu-iommu", gpu.Viability.Groups[0]), gpu.Functions.Select(f => f.Function.Address.ToString()));
        var checks = host.Readiness.ToDictionary(c => c.Id);
        Assert.Equal(CheckStatus.Pass, checks["iommu"].Status);
        Assert.Equal(CheckStatus.Pass, checks["vfio"].Status);
        Assert.Equal(CheckStatus.Pass, checks["gpu"].Status);
        Assert.Contains("0000:01:00", checks["gpu"].Detail);
    }

    [Fact]
    public void A_gpu_behind_a_pcie_to_pci_bridge_shares_its_group_and_is_not_viable()
    {
        // Behind a conventional bridge the IOMMU cannot tell functions apart: the kernel puts everything behind
        // pcie_pci_bridge1 in one group, so the VGA+HDA slot drags the e1000e at 05:02.0 along.
        Assert.Contains("-device e1000e,id=nic1,bus=pcie_pci_bridge1,addr=0x02", QemuArgs("q35-switch-groups"));
        var host = Read("q35-switch-groups");
        var gpu = host.Gpus.Single(g => g.Slot == PciSlot.Parse("0000:05:01"));
        Assert.Equal(Viability.NotViable, gpu.Viability.Verdict);
        // Expected from the guest's own files: the group's members that are not in the slot and not bridges (class 06xx).
        var group = Assert.Single(gpu.Viability.Groups);
        var expected = GroupMembers("q35-switch-groups", group)
            .Where(a => !a.StartsWith("0000:05:01.", StringComparison.Ordinal))
            .Where(a => !File.ReadAllText(TestPaths.DataFile("hosts", "q35-switch-groups", "sys", "bus", "pci", "devices", a, "class")).StartsWith("0x06", StringComparison.Ordinal))
            .ToArray();
        Assert.Equal(["0000:05:02.0"], expected);
        Assert.Equal(expected, gpu.Viability.MustGoAlong.Select(a => a.ToString()));
        Assert.Contains("0000:05:02.0", gpu.Viability.Explanation);
        // The other GPU, behind a switch downstream port, has a group of its own.
        Assert.Equal(Viability.Viable, host.Gpus.Single(g => g.Slot == PciSlot.Parse("0000:03:00")).Viability.Verdict);

        var json = JsonDocument.Parse(CliRun.Of("host", "--root", TestPaths.DataFile("hosts", "q35-switch-groups"), "--json").Out).RootElement;
        var gpuJson = json.GetProperty("gpus").EnumerateArray().Single(g => g.GetProperty("slot").GetString() == "0000:05:01");
        Assert.False(gpuJson.GetProperty("viable").GetBoolean());
        Assert.Equal("0000:05:02.0", gpuJson.GetProperty("mustGoAlong")[0].GetString());
    }

    [Fact]
    public void The_cpu_summary_matches_the_smp_option()
    {
        // -smp 8,sockets=1,dies=2,cores=2,threads=2: 8 CPUs in 4 cores of two threads.
        Assert.Contains("-smp 8,sockets=1,dies=2,cores=2,threads=2", QemuArgs("smp8-dies"));
        var run = CliRun.Of("host", "--root", TestPaths.DataFile("hosts", "smp8-dies"), "--json");
        var cpu = JsonDocument.Parse(run.Out).RootElement.GetProperty("cpu");
        Assert.Equal(8, cpu.GetProperty("count").GetInt32());
        Assert.Equal(4, cpu.GetProperty("smtSiblings").GetArrayLength());
        Assert.All(cpu.GetProperty("smtSiblings").EnumerateArray(), s => Assert.Equal(2, s.GetArrayLength()));
        Assert.Single(cpu.GetProperty("packages").EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public void The_host_link_of_every_gpu_function_is_what_lspci_reads_from_the_same_bytes(string name)
    {
        var root = new SysfsRoot(TestPaths.DataFile("hosts", name));
        var host = HostModel.Read(root);
        var functions = host.Gpus.SelectMany(g => g.Functions).Select(f => f.Function).ToList();
        Assert.NotEmpty(functions);
        var entries = functions.Select(f => new LspciDumpEntry(f.Address, "",
            ConfigSpace.Parse(root.FilesRead[$"sys/bus/pci/devices/{f.Address}/config"]!)));
        var dump = Path.Combine(Path.GetTempPath(), $"vfiokit-{name}-{Guid.NewGuid():N}.txt");
        new LspciDump(entries).Save(dump);
        try
        {
            var lspci = Run("lspci", "-F", dump, "-vv");
            foreach (var f in functions)
            {
                var block = Block(lspci, f.Address);
                var cap = LnkCap().Match(block);
                var sta = LnkSta().Match(block);
                Assert.Equal(cap.Success, f.Pcie?.LinkCapability is not null);
                if (cap.Success) Assert.Equal($"{cap.Groups[1].Value} x{cap.Groups[2].Value}", f.Pcie!.LinkCapability.ToString());
                if (sta.Success && f.Pcie?.LinkStatus is { } status) Assert.Equal($"{sta.Groups[1].Value} x{sta.Groups[2].Value}", status.ToString());
                Assert.Equal(block.Contains("Express (v"), f.Pcie?.Type is not null);
            }
        }
        finally
        {
            File.Delete(dump);
        }
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public void Every_lab_host_renders_and_survives_a_snapshot_of_itself(string name)
    {
        var dir = TestPaths.DataFile("hosts", name);
        var json = CliRun.Of("host", "--root", dir, "--json");
        var text = CliRun.Of("host", "--root", dir);
        Assert.Equal(json.ExitCode, text.ExitCode);
        Assert.Equal(JsonDocument.Parse(json.Out).RootElement.GetProperty("ready").GetBoolean() ? 0 : 1, json.ExitCode);
        foreach (var gpu in Read(name).Gpus) Assert.Contains(gpu.Slot.ToString(), text.Out);
        Assert.Contains("Readiness", text.Out);

        using var output = new SysfsTree();
        var snap = Path.Combine(output.Root, "snap");
        Assert.Equal(0, CliRun.Of("snapshot", "--root", dir, "--output", snap).ExitCode);
        Assert.Equal(json.Out, CliRun.Of("host", "--root", snap, "--json").Out);
    }

    private static string Block(string lspci, PciAddress address)
    {
        var head = $"{address.Bus:x2}:{address.Device:x2}.{address.Function:x1} ";
        var start = lspci.IndexOf("\n" + head, StringComparison.Ordinal) is var i and >= 0 ? i + 1 : lspci.StartsWith(head, StringComparison.Ordinal) ? 0 : -1;
        Assert.True(start >= 0, $"lspci shows no {head}");
        var end = lspci.IndexOf("\n\n", start, StringComparison.Ordinal);
        return end < 0 ? lspci[start..] : lspci[start..end];
    }

    private static string Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception e) { throw new InvalidOperationException($"{tool} is missing: install pciutils (./test.sh does)", e); }
        var text = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return text;
    }

    [GeneratedRegex(@"LnkCap:\s+Port #\d+, Speed ([0-9.]+GT/s), Width x(\d+)")]
    private static partial Regex LnkCap();

    [GeneratedRegex(@"LnkSta:\s+Speed ([0-9.]+GT/s)[^,]*, Width x(\d+)")]
    private static partial Regex LnkSta();
}
