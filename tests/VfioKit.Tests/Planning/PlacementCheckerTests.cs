using VfioKit.Host.Cpu;
using VfioKit.Planning;
using VfioKit.Tests.Host.Cpu;

namespace VfioKit.Tests.Planning;

/// <summary>The checker must catch the classic mistakes, or the ideal-plan tests prove nothing.</summary>
public sealed class PlacementCheckerTests
{
    private static readonly string Root = TopologyData.Root(TopologyData.Epyc7451);
    private static readonly PlacementChecker Checker = new(LscpuOracle.Run(Root));

    private static CpuPlan Plan(int[] hostCpus, string emulator, int dies, int memoryNode) =>
        new(1, [1], hostCpus.Select((c, i) => new VcpuPin(i, c)).ToArray(), CpuList.Parse(emulator), CpuList.Parse(emulator), 1,
            new GuestTopology(1, dies, hostCpus.Length / 2 / dies, 2), new MemoryPlacement([memoryNode], null, 0, []), CpuVendor.Amd,
            new PlanScore(0, 0, 0, 0, 0, 0), []);

    [Fact]
    public void A_good_plan_has_no_faults() =>
        Assert.Empty(Checker.Faults(Plan([7, 55, 8, 56, 9, 57, 10, 58], "6,54", 2, 1), 6, 8, 1));

    [Fact]
    public void The_n_n_plus_1_sibling_mistake_is_caught() =>
        Assert.Contains(Checker.Faults(Plan([7, 8, 9, 10], "6,54", 1, 1), 6, 4, 1), f => f.Contains("split", StringComparison.Ordinal));

    [Fact]
    public void Vcpus_on_the_far_node_and_memory_off_node_are_caught()
    {
        var faults = Checker.Faults(Plan([0, 48, 1, 49], "6,54", 1, 0), 6, 4, 1);
        Assert.Contains(faults, f => f.Contains("off the GPU's node", StringComparison.Ordinal));
        Assert.Contains(faults, f => f.Contains("memory on node", StringComparison.Ordinal));
    }

    [Fact]
    public void Spanning_more_L3_domains_than_needed_is_caught() =>
        // 2 cores fit in one CCX of node 1 (7-8), but this takes one from each.
        Assert.Contains(Checker.Faults(Plan([8, 56, 9, 57], "6,54", 1, 1), 6, 4, 1), f => f.Contains("L3", StringComparison.Ordinal));

    [Fact]
    public void An_emulator_on_a_vcpu_core_is_caught() =>
        Assert.Contains(Checker.Faults(Plan([7, 55, 8, 56], "55", 1, 1), 6, 4, 1), f => f.Contains("emulator", StringComparison.Ordinal));
}
