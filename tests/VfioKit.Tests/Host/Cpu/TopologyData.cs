namespace VfioKit.Tests.Host.Cpu;

/// <summary>The real topology dumps under Data/topologies (see SOURCE.md there).</summary>
public static class TopologyData
{
    public const string Epyc7451 = "x86_64-epyc_7451";
    public const string Hybrid = "20em64t-hybrid-1p6c2t+2ca4co1t";
    public const string Intel4Node = "40intel64-4n10c+pci-conflicts";
    public const string Amd8Node = "64amd64-4s2n4ca2co";
    public const string Xeon64 = "x86_64-64cpu";
    public const string VmwareOpteron = "vmware_fpe";
    public const string DellE4310 = "x86_64-dell_e4310";
    /// <summary>The lab's guest snapshots (branch lab, scripts/lab): real QEMU guests' sysfs.</summary>
    public const string LabNuma2 = "hosts/numa2-pxb";
    public const string LabDies = "hosts/smp8-dies";

    public static readonly string[] All = [Epyc7451, Hybrid, Intel4Node, Amd8Node, Xeon64, VmwareOpteron, DellE4310, LabNuma2, LabDies];

    public static TheoryData<string> Names => new(All);

    /// <summary>All but the hwloc dump whose hex masks deliberately contradict its list files.</summary>
    public static TheoryData<string> LscpuComparable => new(All.Where(n => n != Intel4Node));

    public static string Root(string name) =>
        name.StartsWith("hosts/", StringComparison.Ordinal) ? TestPaths.DataFile("hosts", name["hosts/".Length..]) : TestPaths.DataFile("topologies", name);
}
