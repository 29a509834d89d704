using System.Diagnostics;
using VfioKit.Host.Cpu;

namespace VfioKit.Tests.Host.Cpu;

/// <summary>util-linux's lscpu (an independent reader of the same files): `lscpu -p=CPU,CORE,SOCKET,NODE,CACHE --sysroot DIR`,
/// turned into partitions of the CPUs (sets of CPU sets) so they compare with ours regardless of numbering.</summary>
public sealed record LscpuOracle(
    IReadOnlySet<string> Cores, IReadOnlySet<string> Sockets, IReadOnlySet<string> Nodes, IReadOnlySet<string> L3s, CpuList Cpus)
{
    public static LscpuOracle Run(string? sysroot)
    {
        var psi = new ProcessStartInfo("lscpu") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-p=CPU,CORE,SOCKET,NODE,CACHE");
        if (sysroot is not null) { psi.ArgumentList.Add("--sysroot"); psi.ArgumentList.Add(sysroot); }
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e) { throw new InvalidOperationException("lscpu (util-linux) is needed by this test and was not found", e); }
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"lscpu failed: {p.StandardError.ReadToEnd()}");

        string[]? header = null;
        var rows = new List<string[]>();
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("# CPU", StringComparison.Ordinal)) header = line[2..].Split(',');
            else if (line.Length > 0 && line[0] != '#') rows.Add(line.Split(','));
        }
        Assert.NotNull(header);
        int Col(string name) => Array.IndexOf(header, name);
        IReadOnlySet<string> Partition(int col) => col < 0 ? new HashSet<string>() : rows
            .Where(r => r[col].Length > 0)
            .GroupBy(r => r[col]).Select(g => CpuList.Of(g.Select(r => int.Parse(r[0]))).ToString()).ToHashSet();
        return new LscpuOracle(Partition(Col("Core")), Partition(Col("Socket")), Partition(Col("Node")), Partition(Col("L3")),
            CpuList.Of(rows.Select(r => int.Parse(r[0]))));
    }
}
