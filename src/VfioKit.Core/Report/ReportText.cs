using System.Text;
using VfioKit.Host;
using VfioKit.Pci;

namespace VfioKit.Report;

/// <summary>The report as plain text, for a terminal or a forum post: the same facts and findings as the picture.</summary>
public static class ReportText
{
    public static string Render(PassthroughReport r)
    {
        var b = new StringBuilder();
        var cpu = r.Host.Cpu;
        b.AppendLine($"Host {r.Host.Root}: {cpu.ModelName ?? cpu.Vendor.ToString()}, {cpu.Online.Count} CPUs online, {cpu.Packages.Count} package(s), {Math.Max(1, cpu.Nodes.Count)} node(s)");
        var isolated = cpu.Isolated.Union(cpu.NohzFull);
        b.AppendLine($"  isolated: {(isolated.IsEmpty ? "none" : isolated.ToString())}");
        foreach (var node in cpu.Nodes)
        {
            b.Append($"  node {node.Id}: CPUs {node.Cpus}");
            if (node.MemTotalKiB is { } t) b.Append($", {SvgText.Size(t)}");
            foreach (var h in node.HugePages.Where(h => h.Total > 0)) b.Append($", {h.Total}x{SvgText.PageSize(h.PageSizeKiB)} huge pages ({h.Free} free)");
            b.AppendLine();
        }
        foreach (var l3 in cpu.L3Domains.GroupBy(d => d.Cpus.ToString()).Select(g => g.First()))
            b.AppendLine($"  L3 #{l3.Index}: {CoresText(r, l3.Cpus)}");
        if (cpu.L3Domains.Count == 0) b.AppendLine($"  cores: {CoresText(r, cpu.Online)}");

        b.AppendLine("PCI (by IOMMU group)");
        var gpuAddresses = r.Host.Gpus.SelectMany(g => g.Functions).Select(f => f.Function.Address).ToHashSet();
        var grouped = new HashSet<PciAddress>();
        foreach (var g in r.Host.IommuGroups.OrderBy(g => g.Number))
        {
            var gpu = r.Host.Gpus.FirstOrDefault(x => x.Viability.Groups.Contains(g.Number));
            b.AppendLine($"  group {g.Number}{(gpu is null ? "" : gpu.Viability.IsViable ? " (GPU, viable)" : gpu.Viability.Verdict == Viability.NotViable ? " (GPU, NOT VIABLE)" : " (GPU)")}");
            foreach (var a in g.Devices.Order()) { grouped.Add(a); b.AppendLine("    " + FunctionText(r, a, gpuAddresses.Contains(a))); }
        }
        var loose = r.Host.PciFunctions.Where(f => !grouped.Contains(f.Address)).ToList();
        if (loose.Count > 0)
        {
            b.AppendLine("  no IOMMU group");
            foreach (var f in loose) b.AppendLine("    " + FunctionText(r, f.Address, gpuAddresses.Contains(f.Address)));
        }

        if (r.Vm is { } vm)
        {
            b.AppendLine($"VM {vm.Path} ({vm.Format}, machine {vm.View.Topology.Machine.Type}, QEMU {vm.View.QemuVersion})");
            foreach (var i in ReportBuilder.TreeOrder(vm.View))
            {
                var d = vm.View.Devices[i];
                var indent = new string(' ', 2 + 2 * Math.Max(0, d.Path.Count - 2));
                var address = d.GuestAddress is { } a ? $"{a.Bus:x2}:{a.Device:x2}.{a.Function}" : "not visible";
                b.Append($"{indent}{d.Name} ({d.Device.Driver}) {address} {ReportBuilder.Describe(d.Sees)}");
                if (d.Device.HostAddress is { } h) b.Append($" host {h}");
                if (d.Link is { } l) b.Append($" link {l}");
                if (d.PortLink is { } pl) b.Append($" port {pl}");
                b.AppendLine(Badges(r, ReportIds.GuestDevice(i)));
            }
        }
        if (r.Pinning is { } p)
        {
            b.AppendLine($"Pinning (from the {(p.Source == PinningSource.Plan ? "plan" : "configuration")})" + (p.MemoryNodes.Count > 0 ? $", memory on node {string.Join(",", p.MemoryNodes)}" : ""));
            foreach (var t in p.Threads) b.AppendLine($"  {t.Label} -> CPU {t.HostCpus}{Badges(r, t.Id)}");
        }
        b.AppendLine(r.Findings.Count == 0 ? "Findings: none" : $"Findings ({r.Findings.Count})");
        foreach (var f in r.Findings)
            b.AppendLine($"  [{f.Number}] {f.Severity}{(f.RuleId is null ? "" : " " + f.RuleId)}: {f.Message}{(f.Location is null ? "" : $" ({f.Location})")}");
        b.AppendLine("Readiness");
        foreach (var c in r.Host.Readiness)
            b.AppendLine($"  {(c.Status switch { CheckStatus.Pass => "pass", CheckStatus.Warn => "warn", _ => "FAIL" }),-4}  {c.Title}: {c.Detail}");
        // Names from input reach a terminal: no control characters (escape sequences) get through.
        return string.Join('\n', b.ToString().Split('\n').Select(SvgText.Clean));
    }

    private static string Badges(PassthroughReport r, string id)
    {
        var numbers = r.Findings.Where(f => f.Elements.Contains(id)).Select(f => f.Number).ToList();
        return numbers.Count == 0 ? "" : "  <- " + string.Join(" ", numbers.Select(n => $"[{n}]"));
    }

    /// <summary>"[0,8:v0,emu] [1,9]": each core's threads, with the VM threads pinned to each.</summary>
    private static string CoresText(PassthroughReport r, Host.Cpu.CpuList cpus)
    {
        var cores = r.Host.Cpu.Cores.Where(c => c.Threads.Any(cpus.Contains));
        return string.Join(" ", cores.Select(c => "[" + string.Join(",", c.Threads.Select(t =>
        {
            var tags = r.ThreadsOn(t).Select(x => x.Tag).ToList();
            return tags.Count == 0 ? t.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{t}:{string.Join("+", tags)}";
        })) + "]"));
    }

    private static string FunctionText(PassthroughReport r, PciAddress a, bool gpu)
    {
        var f = r.Host.Function(a);
        var link = f?.Pcie is { } p && (p.LinkCapability is not null || p.LinkStatus is not null) ? $" LnkCap {p.LinkCapability?.ToString() ?? "?"} LnkSta {p.LinkStatus?.ToString() ?? "?"}" : "";
        return $"{a} {(gpu ? "GPU " : "")}{f?.Class?.Name ?? "?"}: {f?.Description ?? "?"} [{f?.Driver ?? "no driver"}]{link}{Badges(r, ReportIds.HostFunction(a))}";
    }
}
