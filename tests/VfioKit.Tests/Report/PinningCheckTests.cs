using VfioKit.Host;
using VfioKit.Host.Cpu;
using VfioKit.Report;
using VfioKit.Files;

namespace VfioKit.Tests.Report;

/// <summary>The pinning check on real CPU dumps: the mistakes people make when pinning by hand.</summary>
public sealed class PinningCheckTests
{
    private static CpuTopology Topology(string name) => HostModel.Read(new SysfsRoot(ReportMatrix.TopologyRoot(name))).Cpu;

    private static PinnedThread Vcpu(int v, params int[] cpus) => new(PinnedThreadKind.Vcpu, v, CpuList.Of(cpus));

    [Fact]
    public void A_guest_core_split_over_two_host_cores_is_found()
    {
        // Dell E4310: SMT siblings are n and n+2, so 0,1 are two different cores; 0,2 are one.
        var cpu = Topology("x86_64-dell_e4310");
        var split = PinningCheck.Check(cpu, new Pinning(PinningSource.Config, [Vcpu(0, 0), Vcpu(1, 1)], []), 2, []);
        var issue = Assert.Single(split);
        Assert.Contains("guest core 0", issue.Message);
        Assert.Contains(ReportIds.Cpu(1), issue.Elements);
        Assert.Empty(PinningCheck.Check(cpu, new Pinning(PinningSource.Config, [Vcpu(0, 0), Vcpu(1, 2)], []), 2, []));
    }

    [Fact]
    public void A_vcpu_sharing_its_core_with_the_emulator_is_found()
    {
        var cpu = Topology("x86_64-dell_e4310");
        var emulator = new PinnedThread(PinnedThreadKind.Emulator, 0, CpuList.Of(2));
        var issue = Assert.Single(PinningCheck.Check(cpu, new Pinning(PinningSource.Config, [Vcpu(0, 0), emulator], []), 1, []));
        Assert.Contains("emulator", issue.Message);
        Assert.Contains(emulator.Id, issue.Elements);
    }

    [Fact]
    public void Vcpus_across_nodes_away_from_the_gpu_and_memory_elsewhere_are_found()
    {
        // EPYC 7451: node 0 holds CPUs 0-5 and 48-53, node 1 holds 6-11 and 54-59.
        var cpu = Topology("x86_64-epyc_7451");
        var pinning = new Pinning(PinningSource.Plan, [Vcpu(0, 5), Vcpu(1, 6)], [0]);
        var issues = PinningCheck.Check(cpu, pinning, 1, [2]);
        Assert.Contains(issues, i => i.Message.Contains("span NUMA nodes 0, 1"));
        Assert.Contains(issues, i => i.Message.Contains("the GPU sits on node 2") && i.Message.StartsWith("the vCPUs run"));
        Assert.Contains(issues, i => i.Message.StartsWith("guest memory is bound to node 0"));
    }

    [Fact]
    public void A_cpu_the_host_lacks_is_an_error()
    {
        var cpu = Topology("x86_64-dell_e4310");
        var issue = Assert.Single(PinningCheck.Check(cpu, new Pinning(PinningSource.Config, [Vcpu(0, 9)], []), 1, []));
        Assert.Equal("error", issue.Severity);
        Assert.Contains("CPU 9", issue.Message);
    }
}
