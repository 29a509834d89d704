using Spectre.Console;
using VfioKit.Cli.Json;
using VfioKit.Host.Cpu;
using VfioKit.Planning;

namespace VfioKit.Cli.Rendering;

/// <summary>`vfiokit plan` for people: the placement table, the score, the reasons, then the libvirt and QEMU fragments.</summary>
internal static class PlanView
{
    public static void Write(IAnsiConsole console, CpuTopology topo, CpuPlan plan)
    {
        // Redirected output defaults to 80 columns, which would fold the table.
        console.Profile.Width = Math.Max(console.Profile.Width, 132);
        var g = plan.GuestTopology;
        console.Profile.Out.Writer.WriteLine($"Plan: {plan.Vcpus.Count} vCPUs on NUMA node {plan.Node}" +
            (plan.GpuNodes.Count > 0 ? $" (GPU node{(plan.GpuNodes.Count > 1 ? "s" : "")} {string.Join(",", plan.GpuNodes)})" : "") +
            $"; guest sockets={g.Sockets} dies={g.Dies} cores={g.Cores} threads={g.Threads}");

        var table = new Table().AddColumns("vCPU", "host CPU", "core (siblings)", "L3", "node", "type");
        foreach (var pin in plan.Vcpus)
        {
            var cpu = topo.Cpu(pin.HostCpu);
            table.AddRow(pin.Vcpu.ToString(), pin.HostCpu.ToString(), cpu?.Siblings.ToString() ?? "?",
                cpu?.L3 is { } l3 ? topo.L3Domains[l3].Cpus.ToString() : "?", cpu?.Node?.ToString() ?? "?",
                cpu?.Type switch { CoreType.Performance => "P", CoreType.Efficiency => "E", _ => "" });
        }
        console.Write(table);
        console.Profile.Out.Writer.WriteLine($"Emulator and I/O threads: CPUs {plan.EmulatorCpus}");
        var mem = plan.Memory;
        var pages = mem.PageSizeKiB > 0 ? $"{MemorySize.FormatKiB(mem.PageSizeKiB)} hugepages" : "ordinary pages";
        console.Profile.Out.Writer.WriteLine($"Memory: node {string.Join(",", mem.Nodes)} (strict), {pages}" +
            string.Concat(mem.HugePages.Select(h => $"; node {h.Node} needs {h.Needed}, has {h.Free} free")));

        var s = plan.Score;
        // Long lines go straight to the writer: Spectre would wrap them at 80 columns when output is redirected.
        var w = console.Profile.Out.Writer;
        w.WriteLine($"Score: {(s.Ideal ? "ideal" : "not ideal")}: split SMT pairs {s.SplitSmtPairs}, " +
            $"vCPUs off node {s.VcpusOffNode}, L3 domains {s.L3DomainsSpanned} (minimum {s.L3DomainsMinimum}), " +
            $"memory nodes off node {s.MemoryNodesOffNode}, host CPUs left {s.HostCpusLeft}");
        foreach (var r in plan.Reasons) w.WriteLine($"  - {r}");

        w.WriteLine();
        w.WriteLine("libvirt (inside <domain>):");
        console.Profile.Out.Writer.Write(LibvirtPlanXml.Text(plan));
        w.WriteLine();
        w.WriteLine("QEMU options:");
        console.Profile.Out.Writer.WriteLine(string.Join(" ", QemuPlanOptions.Arguments(plan).Select(Quote)));
    }

    // Shown as one shell line: a word with anything but safe characters is single-quoted.
    private static string Quote(string word) => VfioKit.Formats.Qemu.ShellQuoting.Literal(word);
}
