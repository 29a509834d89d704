using VfioKit.Host;
using VfioKit.Planning;
using VfioKit.Report;
using VfioKit.Rules;
using VfioKit.Formats;
using VfioKit.Files;

namespace VfioKit.Tests.Report;

/// <summary>The real inputs the report tests draw: the lab's host snapshots, the shared CPU dumps, and configurations from the test corpus.</summary>
public static class ReportMatrix
{
    public static readonly string[] Hosts = ["q35-gpu-iommu", "q35-no-iommu", "q35-switch-groups", "numa2-pxb", "smp8-dies"];

    /// <summary>CPU/NUMA dumps of real machines: 4 to 96 CPUs, 1 to 8 nodes, hybrid, SMT and none.</summary>
    public static readonly string[] Topologies =
        ["x86_64-dell_e4310", "20em64t-hybrid-1p6c2t+2ca4co1t", "40intel64-4n10c+pci-conflicts", "64amd64-4s2n4ca2co", "x86_64-64cpu", "x86_64-epyc_7451", "vmware_fpe"];

    /// <summary>Good and bad topologies: a GPU behind a root port, a GPU on pcie.0, a tuned pinned VM, a Proxmox VM.</summary>
    public static readonly string[][] Configs =
    [
        ["libvirt", "passthrough", "gpu-audio-ioh3420-index8.xml"],
        ["libvirt", "passthrough", "gpu-on-pcie0.xml"],
        ["libvirt", "passthrough", "tuned-windows.xml"],
        ["configs", "seed-pcie0.sh"],
        ["configs", "seed-ioh3420.sh"],
        ["configs", "proxmox-q35-gpu.conf"],
    ];

    public static string HostRoot(string name) => TestPaths.DataFile("hosts", name);

    public static string TopologyRoot(string name) => TestPaths.DataFile("topologies", name);

    public static PassthroughReport Build(string root, string[]? config, bool plan = false)
    {
        var host = HostModel.Read(new SysfsRoot(root));
        ReportVm? vm = null;
        Pinning? pinning = null;
        if (config is not null)
        {
            var path = TestPaths.DataFile(config);
            var text = File.ReadAllText(path);
            (vm, pinning) = ReportBuilder.ReadVm(new ConfigDocument(path, text, ConfigFormatDetector.Detect(path, text)), host, null);
        }
        if (plan)
        {
            var p = CpuPlanner.Plan(host.Cpu, new PlanRequest(Math.Min(8, Math.Max(2, host.Cpu.Online.Count / 2)), []));
            pinning = new Pinning(PinningSource.Plan,
                [
                    .. p.Vcpus.Select(v => new PinnedThread(PinnedThreadKind.Vcpu, v.Vcpu, VfioKit.Host.Cpu.CpuList.Of(v.HostCpu))),
                    new PinnedThread(PinnedThreadKind.Emulator, 0, p.EmulatorCpus),
                ],
                p.Memory.Nodes);
        }
        return ReportBuilder.Build(host, vm, pinning);
    }

    public static IEnumerable<object[]> HostsByConfigs() =>
        from h in Hosts from c in Configs.Prepend(null) select new object[] { h, c is null ? "" : string.Join('/', c) };

    public static string[]? ConfigParts(string joined) => joined.Length == 0 ? null : joined.Split('/');
}
