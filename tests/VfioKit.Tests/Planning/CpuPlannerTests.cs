using VfioKit.Diagnostics;
using VfioKit.Host.Cpu;
using VfioKit.Planning;
using VfioKit.Tests.Host.Cpu;

namespace VfioKit.Tests.Planning;

public sealed class CpuPlannerTests
{
    [Theory]
    [MemberData(nameof(TopologyData.LscpuComparable), MemberType = typeof(TopologyData))]
    public void Plans_are_ideal_wherever_an_ideal_plan_exists(string name)
    {
        var root = TopologyData.Root(name);
        var topo = CpuTopologyReader.Read(root);
        var checker = new PlacementChecker(LscpuOracle.Run(root));
        var checkedIdeal = 0;
        foreach (var node in topo.Nodes.Where(n => !n.Cpus.IsEmpty))
        {
            var nodeCores = topo.Cores.Count(c => c.Node == node.Id);
            int[] counts = [1, 2, 3, 4, 6, 8, 12, 2 * (nodeCores - 1), 2 * nodeCores + 2];
            foreach (var vcpus in counts.Where(v => v >= 1 && v <= topo.Online.Count - 2).Distinct())
            {
                var plan = CpuPlanner.Plan(topo, new PlanRequest(vcpus, [node.Id], 4L << 30));
                var (exists, _) = checker.Ideal(node.Cpus.First, vcpus);
                var faults = checker.Faults(plan, node.Cpus.First, vcpus, node.HasMemory ? node.Id : null);
                var what = $"{name}, GPU on node {node.Id}, {vcpus} vCPUs: {string.Join("; ", faults)}";
                if (exists)
                {
                    Assert.True(faults.Count == 0, what);
                    Assert.True(plan.Score.Ideal, what + " (score says not ideal)");
                    checkedIdeal++;
                }
                else
                {
                    Assert.True(faults.Count > 0, $"{name}, node {node.Id}, {vcpus} vCPUs: the checker finds no ideal plan but this one passes");
                    Assert.False(plan.Score.Ideal, what + " (score claims ideal)");
                    Assert.NotEmpty(plan.Reasons);
                }
            }
        }
        Assert.True(checkedIdeal > 0);
    }

    [Fact]
    public void Epyc_8_vcpus_for_a_gpu_on_node_1_take_two_whole_CCXs_halves_and_pair_siblings()
    {
        var topo = CpuTopologyReader.Read(TopologyData.Root(TopologyData.Epyc7451));
        var plan = CpuPlanner.Plan(topo, new PlanRequest(8, [1], 8L << 30, HugePages: HugePageChoice.Size2M));

        // Node 1 is 6-11,54-59: L3 6-8,54-56 and 9-11,57-59. Core 6/54 stays with the host.
        Assert.Equal("6,54", plan.EmulatorCpus.ToString());
        Assert.Equal([7, 55, 8, 56, 9, 57, 10, 58], plan.Vcpus.Select(v => v.HostCpu));
        Assert.Equal(new GuestTopology(1, 2, 2, 2), plan.GuestTopology);
        Assert.Equal([1], plan.Memory.Nodes);
        Assert.Equal(4096, plan.Memory.HugePages.Single().Needed);
        Assert.True(plan.Score.Ideal);
        Assert.Equal(2, plan.Score.L3DomainsSpanned);
        Assert.Equal(88, plan.Score.HostCpusLeft);
        // The dump has no hugepages reserved: the plan says how to reserve them.
        Assert.Contains(plan.Reasons, r => r.Contains("hugepages-2048kB/nr_hugepages", StringComparison.Ordinal));
    }

    [Fact]
    public void Hybrid_part_gets_performance_cores_before_efficiency_cores()
    {
        var topo = CpuTopologyReader.Read(TopologyData.Root(TopologyData.Hybrid));
        var p = CpuList.Parse(File.ReadAllText(Path.Combine(TopologyData.Root(TopologyData.Hybrid), "sys", "devices", "cpu_core", "cpus")));

        var plan = CpuPlanner.Plan(topo, new PlanRequest(10, [0]));
        Assert.True(CpuList.Of(plan.Vcpus.Select(v => v.HostCpu)).IsSubsetOf(p));
        Assert.True(plan.Score.Ideal);

        // 14 vCPUs do not fit on the 5 free P cores: the rest go to E cores as split pairs, and the plan says so.
        var big = CpuPlanner.Plan(topo, new PlanRequest(14, [0]));
        Assert.Equal(10, big.Vcpus.Count(v => p.Contains(v.HostCpu)));
        Assert.False(big.Score.Ideal);
        Assert.Equal(2, big.Score.SplitSmtPairs);
        Assert.Contains(big.Reasons, r => r.Contains("two different host cores", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_gpu_node_picks_the_node_with_most_free_cores_and_says_so()
    {
        var topo = CpuTopologyReader.Read(TopologyData.Root(TopologyData.Xeon64));
        var plan = CpuPlanner.Plan(topo, new PlanRequest(4, [-1]));
        Assert.Contains(plan.Reasons, r => r.Contains("unknown", StringComparison.Ordinal));
        Assert.All(plan.Vcpus, v => Assert.Equal(plan.Node, topo.Cpu(v.HostCpu)!.Node));
    }

    [Fact]
    public void Too_many_vcpus_is_a_clear_input_error()
    {
        var topo = CpuTopologyReader.Read(TopologyData.Root(TopologyData.DellE4310));
        var e = Assert.Throws<InputException>(() => CpuPlanner.Plan(topo, new PlanRequest(8, [])));
        Assert.Equal("--vcpus", e.Origin);
        Assert.Contains("cores", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reserve_naming_a_cpu_the_host_lacks_is_rejected()
    {
        var topo = CpuTopologyReader.Read(TopologyData.Root(TopologyData.DellE4310));
        var e = Assert.Throws<InputException>(() => CpuPlanner.Plan(topo, new PlanRequest(2, [], Reserve: CpuList.Of(9))));
        Assert.Equal("--reserve", e.Origin);
    }

    [Fact]
    public void Odd_vcpu_count_on_an_smt_host_gives_each_vcpu_a_whole_core()
    {
        var topo = CpuTopologyReader.Read(TopologyData.Root(TopologyData.Epyc7451));
        var plan = CpuPlanner.Plan(topo, new PlanRequest(3, [2]));
        Assert.Equal(1, plan.GuestTopology.Threads);
        Assert.Equal(3, plan.Vcpus.Select(v => topo.CoreOf(v.HostCpu)!.Index).Distinct().Count());
        Assert.Contains(plan.Reasons, r => r.Contains("odd", StringComparison.Ordinal));
    }

    [Fact]
    public void Memoryless_gpu_node_puts_memory_on_the_nearest_node_with_memory()
    {
        var tmp = Directory.CreateTempSubdirectory("vk-plan-");
        try
        {
            // A real 4-node dump with node 2 made memoryless the way the kernel shows it (has_memory without 2).
            CopyTree(TopologyData.Root(TopologyData.Intel4Node), tmp.FullName);
            File.WriteAllText(Path.Combine(tmp.FullName, "sys", "devices", "system", "node", "has_memory"), "0-1,3\n");
            var topo = CpuTopologyReader.Read(tmp.FullName);
            Assert.True(topo.Node(2)!.IsMemoryless);
            var plan = CpuPlanner.Plan(topo, new PlanRequest(4, [2], 1L << 30));
            Assert.All(plan.Vcpus, v => Assert.Equal(2, topo.Cpu(v.HostCpu)!.Node));
            var nearest = topo.Nodes.Where(n => n.Id != 2).OrderBy(n => topo.Distance(2, n.Id)).ThenBy(n => n.Id).First().Id;
            Assert.Equal([nearest], plan.Memory.Nodes);
            Assert.Equal(1, plan.Score.MemoryNodesOffNode);
            Assert.Contains(plan.Reasons, r => r.Contains("memoryless", StringComparison.Ordinal));
        }
        finally { tmp.Delete(true); }
    }

    [Fact]
    public void Isolated_cpus_are_used_before_others_and_the_host_keeps_a_non_isolated_core()
    {
        var tmp = Directory.CreateTempSubdirectory("vk-plan-");
        try
        {
            // The real EPYC dump booted with isolcpus= on node 1's second CCX (9-11 and siblings 57-59).
            CopyTree(TopologyData.Root(TopologyData.Epyc7451), tmp.FullName);
            File.WriteAllText(Path.Combine(tmp.FullName, "proc", "cmdline"), "root=/dev/sda1 isolcpus=managed_irq,domain,9-11,57-59 quiet\n");
            var topo = CpuTopologyReader.Read(tmp.FullName);
            var plan = CpuPlanner.Plan(topo, new PlanRequest(4, [1]));
            Assert.Equal([9, 57, 10, 58], plan.Vcpus.Select(v => v.HostCpu));
            Assert.Equal("6,54", plan.EmulatorCpus.ToString());
            Assert.True(plan.Score.Ideal);
        }
        finally { tmp.Delete(true); }
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
