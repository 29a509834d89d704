using VfioKit.Host.Cpu;

namespace VfioKit.Tests.Host.Cpu;

public sealed class CpuTopologyReaderTests
{
    [Theory]
    [MemberData(nameof(TopologyData.LscpuComparable), MemberType = typeof(TopologyData))]
    public void Cores_nodes_packages_and_L3_domains_agree_with_lscpu(string name)
    {
        var root = TopologyData.Root(name);
        var topo = CpuTopologyReader.Read(root);
        var lscpu = LscpuOracle.Run(root);

        Assert.Equal(lscpu.Cpus, topo.Online);
        Assert.Equal(lscpu.Cores, topo.Cores.Select(c => c.Threads.ToString()).ToHashSet());
        Assert.Equal(lscpu.Sockets, topo.Packages.Select(p => p.Cpus.ToString()).ToHashSet());
        Assert.Equal(lscpu.Nodes, topo.Nodes.Where(n => !n.Cpus.IsEmpty).Select(n => n.Cpus.ToString()).ToHashSet());
        Assert.Equal(lscpu.L3s, topo.L3Domains.Select(d => d.Cpus.ToString()).ToHashSet());
    }

    [Fact]
    public void This_machines_real_sys_agrees_with_lscpu()
    {
        var topo = CpuTopologyReader.Read("/");
        var lscpu = LscpuOracle.Run(null);
        Assert.Equal(lscpu.Cpus, topo.Online);
        Assert.Equal(lscpu.Cores, topo.Cores.Select(c => c.Threads.ToString()).ToHashSet());
        Assert.Equal(lscpu.Sockets, topo.Packages.Select(p => p.Cpus.ToString()).ToHashSet());
    }

    [Fact]
    public void Epyc_7451_has_8_nodes_16_L3s_and_siblings_n_and_n_plus_48()
    {
        var topo = CpuTopologyReader.Read(TopologyData.Root(TopologyData.Epyc7451));

        Assert.Equal(CpuVendor.Amd, topo.Vendor);
        Assert.Equal("0-95", topo.Online.ToString());
        Assert.Equal(2, topo.Packages.Count);
        Assert.Equal(8, topo.Nodes.Count);
        Assert.Equal(16, topo.L3Domains.Count);
        Assert.All(topo.L3Domains, d => Assert.Equal(6, d.Cpus.Count));
        Assert.Equal("0-2,48-50", topo.L3Domains[0].Cpus.ToString());
        Assert.Equal(48, topo.Cores.Count);
        Assert.All(topo.Cores, c => Assert.Equal(CpuList.Of(c.FirstCpu, c.FirstCpu + 48), c.Threads));
        // core_id is not contiguous: cpu3 is core 4 of package 0.
        Assert.Equal(4, topo.Cpu(3)!.CoreId);
        Assert.Equal("3,51", topo.Cpu(3)!.Siblings.ToString());
        Assert.Equal("0-5,48-53", topo.Node(0)!.Cpus.ToString());
        Assert.All(topo.Cpus, c => Assert.Equal(topo.Nodes.Single(n => n.Cpus.Contains(c.Id)).Id, c.Node));
        Assert.False(topo.IsHybrid);
    }

    [Fact]
    public void Hybrid_part_tells_performance_from_efficiency_cores()
    {
        var topo = CpuTopologyReader.Read(TopologyData.Root(TopologyData.Hybrid));

        Assert.True(topo.IsHybrid);
        Assert.Equal(14, topo.Cores.Count);
        Assert.All(topo.Cores.Where(c => c.FirstCpu < 12), c => { Assert.Equal(CoreType.Performance, c.Type); Assert.Equal(2, c.Threads.Count); });
        Assert.All(topo.Cores.Where(c => c.FirstCpu >= 12), c => { Assert.Equal(CoreType.Efficiency, c.Type); Assert.Single(c.Threads); });
        Assert.Single(topo.L3Domains);
        Assert.Equal("0-19", topo.L3Domains[0].Cpus.ToString());
        var node = Assert.Single(topo.Nodes);
        Assert.True(node.HasMemory);
        Assert.Equal(32489480, node.MemTotalKiB);
        Assert.Contains(node.HugePages, h => h.PageSizeKiB == 2048);
        Assert.Contains(node.HugePages, h => h.PageSizeKiB == 1048576);
    }

    [Fact]
    public void Intel_4_node_part_has_interleaved_numbering_and_a_distance_table()
    {
        var topo = CpuTopologyReader.Read(TopologyData.Root(TopologyData.Intel4Node));

        Assert.Equal(4, topo.Nodes.Count);
        Assert.Equal("0,4,8,12,16,20,24,28,32,36", topo.Node(0)!.Cpus.ToString());
        // hwloc's "conflicts" dump gives cpu2/cpu3 hex masks (core_siblings, shared_cpu_map = 0000000f) that
        // contradict their ids and list files; lscpu follows the masks, the kernel's list files are what we read.
        string[] interleaved = ["0,4,8,12,16,20,24,28,32,36", "1,5,9,13,17,21,25,29,33,37", "2,6,10,14,18,22,26,30,34,38", "3,7,11,15,19,23,27,31,35,39"];
        Assert.Equal(interleaved, topo.Packages.Select(p => p.Cpus.ToString()));
        Assert.Equal(interleaved, topo.L3Domains.Select(d => d.Cpus.ToString()));
        Assert.Equal(interleaved, topo.Nodes.Select(n => n.Cpus.ToString()));
        Assert.False(topo.HasSmt);
        Assert.Equal(10, topo.Distance(0, 0));
        Assert.True(topo.Distance(0, 1) > 10);
        Assert.Equal(CpuVendor.Intel, topo.Vendor);
    }

    [Fact]
    public void Missing_node_directories_become_one_node_with_a_note()
    {
        var tmp = Directory.CreateTempSubdirectory("vk-topo-");
        try
        {
            CopyTree(Path.Combine(TopologyData.Root(TopologyData.DellE4310), "sys", "devices", "system", "cpu"),
                Path.Combine(tmp.FullName, "sys", "devices", "system", "cpu"));
            var topo = CpuTopologyReader.Read(tmp.FullName);
            var node = Assert.Single(topo.Nodes);
            Assert.Equal(topo.Online, node.Cpus);
            Assert.Contains(topo.Notes, n => n.Contains("node", StringComparison.Ordinal));
            Assert.Equal(CpuVendor.Unknown, topo.Vendor);
        }
        finally { tmp.Delete(true); }
    }

    [Fact]
    public void An_empty_root_reads_as_unknown_without_throwing()
    {
        var tmp = Directory.CreateTempSubdirectory("vk-topo-");
        try
        {
            var topo = CpuTopologyReader.Read(tmp.FullName);
            Assert.Empty(topo.Cpus);
            Assert.NotEmpty(topo.Notes);
        }
        finally { tmp.Delete(true); }
    }

    [Fact]
    public void Garbage_in_sysfs_files_degrades_to_unknown()
    {
        var tmp = Directory.CreateTempSubdirectory("vk-topo-");
        try
        {
            var cpu = Path.Combine(tmp.FullName, "sys", "devices", "system", "cpu");
            Directory.CreateDirectory(Path.Combine(cpu, "cpu0", "topology"));
            Directory.CreateDirectory(Path.Combine(cpu, "cpu0", "cache", "index3"));
            File.WriteAllText(Path.Combine(cpu, "online"), "0\n");
            File.WriteAllText(Path.Combine(cpu, "cpu0", "topology", "core_id"), "banana\n");
            File.WriteAllText(Path.Combine(cpu, "cpu0", "topology", "thread_siblings_list"), "3-1\n");
            File.WriteAllText(Path.Combine(cpu, "cpu0", "cache", "index3", "level"), "x");
            var topo = CpuTopologyReader.Read(tmp.FullName);
            var only = Assert.Single(topo.Cores);
            Assert.Equal(CpuList.Of(0), only.Threads);
            Assert.Empty(topo.L3Domains);
            Assert.Contains(topo.Notes, n => n.Contains("cpu0", StringComparison.Ordinal));
        }
        finally { tmp.Delete(true); }
    }

    [Fact]
    public void Isolated_cpus_come_from_sysfs_and_the_kernel_command_line()
    {
        var tmp = Directory.CreateTempSubdirectory("vk-topo-");
        try
        {
            CopyTree(TopologyData.Root(TopologyData.DellE4310), tmp.FullName);
            Directory.CreateDirectory(Path.Combine(tmp.FullName, "proc"));
            File.WriteAllText(Path.Combine(tmp.FullName, "proc", "cmdline"), "BOOT_IMAGE=/vmlinuz isolcpus=domain,managed_irq,2-3 nohz_full=1-3 quiet\n");
            var topo = CpuTopologyReader.Read(tmp.FullName);
            Assert.Equal("2-3", topo.Isolated.ToString());
            Assert.Equal("1-3", topo.NohzFull.ToString());
            Assert.True(topo.Cpu(2)!.Isolated);
            Assert.False(topo.Cpu(0)!.Isolated);
        }
        finally { tmp.Delete(true); }
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
