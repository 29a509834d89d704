using Spectre.Console;
using VfioKit.Host;
using VfioKit.Host.Cpu;

namespace VfioKit.Cli.Rendering;

/// <summary>`vfiokit host` for people: GPUs as trees, then CPU, huge pages, the readiness checklist and notes.</summary>
internal static class HostRenderer
{
    public static void Render(IAnsiConsole console, HostModel host)
    {
        console.Write(new Rule($"[bold]Host[/] {Markup.Escape(host.Root)}").LeftJustified());
        RenderGpus(console, host);
        RenderDevices(console, host);
        RenderCpu(console, host.Cpu);
        RenderMemory(console, host);
        RenderReadiness(console, host);
        if (host.Absent.Count > 0)
            console.MarkupLine($"[bold]Not reported[/] by {Markup.Escape(host.Root)} (unknown, not guessed): {Markup.Escape(string.Join(", ", host.Absent))}");
        if (host.Notes.Count > 0)
        {
            console.MarkupLine("[bold]Notes[/] (what could not be read):");
            foreach (var note in host.Notes.Take(20)) console.MarkupLine($"  [grey]{Markup.Escape(note)}[/]");
            if (host.Notes.Count > 20) console.MarkupLine($"  [grey]... and {host.Notes.Count - 20} more (see --json)[/]");
        }
    }

    private static void RenderGpus(IAnsiConsole console, HostModel host)
    {
        if (host.Gpus.Count == 0)
        {
            console.MarkupLine("[bold]GPUs[/]: none (no display function, class 03xx)");
            return;
        }
        console.MarkupLine("[bold]GPUs[/]");
        foreach (var gpu in host.Gpus)
        {
            var verdict = gpu.Viability.Verdict switch
            {
                Viability.Viable => "[green]viable[/]",
                Viability.NotViable => "[red]not viable[/]",
                _ => "[yellow]viability unknown[/]",
            };
            var groups = gpu.Viability.Groups.Count > 0 ? "group " + string.Join(",", gpu.Viability.Groups) : "no group";
            var head = $"[bold]{gpu.Slot}[/] {Markup.Escape(gpu.Display.Description)}  {verdict}, {groups}, NUMA {(gpu.NumaNode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown")}" +
                       $", driver {Markup.Escape(gpu.Display.Driver ?? "none")}{(gpu.BootVga ? ", [yellow]boot VGA[/]" : "")}";
            var tree = new Tree(head);
            foreach (var member in gpu.Functions)
            {
                var f = member.Function;
                var flr = GpuFinder.HasFlr(f) switch { true => "FLR", false => "[yellow]no FLR[/]", null => "reset unknown" };
                tree.AddNode($"{f.Address} [blue]{Markup.Escape(member.Role.Name())}[/] {Markup.Escape(f.Description)}  driver {Markup.Escape(f.Driver ?? "none")}, {flr}, link {Markup.Escape(Link(f.Pcie))}{Markup.Escape(SlotLink(f))}");
            }
            foreach (var warning in gpu.Warnings) tree.AddNode($"[yellow]! {Markup.Escape(warning)}[/]");
            if (gpu.Viability.Verdict != Viability.NotViable) tree.AddNode($"[grey]{Markup.Escape(gpu.Viability.Explanation)}[/]");
            console.Write(tree);
        }
    }

    private static void RenderDevices(IAnsiConsole console, HostModel host)
    {
        var table = new Table().Title("PCI devices").AddColumns("address", "class", "device", "driver", "group", "NUMA", "PCIe link (cap / now)");
        foreach (var f in host.PciFunctions)
            table.AddRow(
                f.Address.ToString(),
                Markup.Escape(f.Class is { } c ? c.Name : "?"),
                Markup.Escape(f.Description),
                Markup.Escape(f.Driver ?? "-"),
                f.IommuGroup?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                f.NumaNode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                Markup.Escape(Link(f.Pcie) + SlotLink(f)));
        console.Write(table);
    }

    private static void RenderMemory(IAnsiConsole console, HostModel host)
    {
        var pools = host.Hugepages.Count == 0
            ? "none"
            : string.Join(", ", host.Hugepages.Select(p => $"{p.SizeName}: {p.Total?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} reserved, {p.Free?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} free"));
        var total = host.Memory.MemTotalKb is { } kb ? $"{kb / 1024.0 / 1024.0:0.0} GiB" : "unknown";
        console.MarkupLine($"[bold]Memory[/] {total}; huge pages {Markup.Escape(pools)}");
    }

    private static void RenderCpu(IAnsiConsole console, CpuTopology cpu)
    {
        var tree = new Tree($"[bold]CPU[/] {Markup.Escape(cpu.ModelName ?? "unknown model")}: {cpu.Online.Count} online ({cpu.Online}), " +
                            $"{cpu.Packages.Count} package(s), {cpu.Cores.Count} cores{(cpu.IsHybrid ? ", hybrid P/E" : "")}");
        foreach (var node in cpu.Nodes)
        {
            var pages = string.Join(", ", node.HugePages.Where(h => h.Total > 0).Select(h => $"{h.Total} x {new HugepagePool(h.PageSizeKiB, null, null, null, null).SizeName}"));
            var mem = node.MemTotalKiB is { } kb ? $"{kb / 1024.0 / 1024.0:0.0} GiB" : "memory unknown";
            tree.AddNode($"NUMA node {node.Id}: CPUs {node.Cpus}, {(node.IsMemoryless ? "[yellow]memoryless[/]" : mem)}{(pages.Length > 0 ? ", huge pages " + pages : "")}");
        }
        if (cpu.L3Domains.Count > 0) tree.AddNode($"L3 domains: {string.Join("  ", cpu.L3Domains.Select(d => d.Cpus.ToString()))}");
        var siblings = cpu.SmtSiblings.Where(s => s.Count > 1).Select(s => "[" + string.Join(",", s) + "]").ToList();
        tree.AddNode(siblings.Count > 0 ? Markup.Escape($"SMT siblings: {string.Join(" ", siblings.Take(16))}{(siblings.Count > 16 ? " ..." : "")}") : "SMT: none");
        tree.AddNode($"isolated: {(cpu.Isolated.Union(cpu.NohzFull) is { Count: > 0 } iso ? iso.ToString() : "none")}");
        console.Write(tree);
    }

    private static void RenderReadiness(IAnsiConsole console, HostModel host)
    {
        console.MarkupLine("[bold]Readiness[/]");
        foreach (var check in host.Readiness)
        {
            var status = check.Status switch { CheckStatus.Pass => "[green]pass[/]", CheckStatus.Warn => "[yellow]warn[/]", _ => "[red]FAIL[/]" };
            console.MarkupLine($"  {status}  {Markup.Escape(check.Title)}: {Markup.Escape(check.Detail)}");
            if (check.Fix is { } fix) console.MarkupLine($"        [grey]fix: {Markup.Escape(fix)}[/]");
        }
    }

    /// <summary>", slot link 16GT/s x16 / 8GT/s x8 at 0000:0a:00.0" when the card has its own switch: the function's own link is internal.</summary>
    private static string SlotLink(PciFunction f) => f.SlotLink is { } s
        ? $", slot link {s.Capability?.ToString() ?? "?"} / {s.Status?.ToString() ?? "?"} at {s.UpstreamPort}"
        : "";

    private static string Link(PcieFacts? p)
    {
        if (p is null) return "-";
        var cap = p.LinkCapability?.ToString() ?? "?";
        var now = p.LinkStatus?.ToString() ?? "?";
        return p.LinkCapability is null && p.LinkStatus is null ? "none" : $"{cap} / {now}";
    }
}
