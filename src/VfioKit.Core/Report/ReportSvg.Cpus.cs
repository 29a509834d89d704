using System.Xml.Linq;
using VfioKit.Host.Cpu;
using static VfioKit.Report.SvgCanvas;

namespace VfioKit.Report;

public sealed partial class ReportSvg
{
    private const double ThreadW = 36, ThreadH = 30, CoreGap = 4, CorePad = 2;
    private const double CoreW = ThreadW + 2 * CorePad;

    /// <summary>A thread with more host CPUs than this is not drawn to each (a set pinning); its box says the set.</summary>
    private const int MaxLinesPerThread = 4;

    private void Cpus()
    {
        var cpu = _r.Host.Cpu;
        var packages = cpu.Packages.Count;
        var smt = cpu.HasSmt ? "SMT" : "no SMT";
        Section("Host CPUs", $"{cpu.ModelName ?? cpu.Vendor.ToString()} · {cpu.Online.Count} online of {cpu.Possible.Count} · {packages} package(s) · {Math.Max(1, cpu.Nodes.Count)} node(s) · {cpu.L3Domains.Count} L3 · {smt}" +
            (cpu.IsHybrid ? " · hybrid (E-cores dashed)" : "") + $" · isolated: {(cpu.Isolated.Union(cpu.NohzFull).IsEmpty ? "none" : cpu.Isolated.Union(cpu.NohzFull).ToString())}");

        var threadBoxes = ThreadStrip();
        var centers = new Dictionary<int, (double X, double Y)>();
        var groups = cpu.Nodes.Count > 0
            ? cpu.Nodes.Select(n => (Node: (NumaNode?)n, Cores: cpu.Cores.Where(c => c.Node == n.Id).ToList())).ToList()
            : [(null, cpu.Cores.ToList())];
        var homeless = cpu.Nodes.Count > 0 ? cpu.Cores.Where(c => c.Node is null || cpu.Node(c.Node.Value) is null).ToList() : [];
        if (homeless.Count > 0) groups.Add((null, homeless));
        foreach (var (node, cores) in groups) NodeBox(node, cores, centers);

        foreach (var (thread, box) in threadBoxes)
        {
            if (thread.HostCpus.Count > MaxLinesPerThread) continue;
            foreach (var c in thread.HostCpus)
            {
                if (!centers.TryGetValue(c, out var to)) continue;
                var from = (X: box.X, Y: box.Y);
                var mid = (from.Y + to.Y) / 2;
                _lines.Add(new XElement(Ns + "path",
                    new XAttribute("d", $"M{SvgText.Num(from.X)},{SvgText.Num(from.Y)} C{SvgText.Num(from.X)},{SvgText.Num(mid)} {SvgText.Num(to.X)},{SvgText.Num(mid)} {SvgText.Num(to.X)},{SvgText.Num(to.Y)}"),
                    new XAttribute("class", thread.Kind == PinnedThreadKind.Vcpu ? "pin" : "pin-emu"),
                    new XAttribute("data-from", thread.Id), new XAttribute("data-to", ReportIds.Cpu(c))));
            }
        }
    }

    /// <summary>The VM's threads in a row (wrapped) above the CPUs; returns where each one's line starts.</summary>
    private List<(PinnedThread Thread, (double X, double Y) Box)> ThreadStrip()
    {
        var result = new List<(PinnedThread, (double, double))>();
        if (_r.Pinning is not { } pinning)
        {
            _y += 16;
            _body.Add(Text(Margin, _y, "No pinning: give a configuration that pins (libvirt <cputune>, Proxmox affinity) or --plan FILE.", "dim"));
            _y += 10;
            return result;
        }
        _y += 6;
        var x = Margin;
        const double h = 20;
        foreach (var t in pinning.Threads)
        {
            var label = t.HostCpus.Count > MaxLinesPerThread ? $"{t.Label} → {t.HostCpus}" : t.Label;
            var w = SvgText.Width(label) + 12;
            if (x + w > Width - Margin) { x = Margin; _y += h + 6; }
            var cls = (t.Kind switch { PinnedThreadKind.Vcpu => "vcpu", PinnedThreadKind.Emulator => "emu", _ => "io" }) + Mark(t.Id);
            _body.Add(Group(t.Id, "thread",
                Title($"{t.Label}: host CPU {t.HostCpus}"),
                Rect(x, _y, w, h, cls),
                Text(x + w / 2, _y + 14, label, t.Kind == PinnedThreadKind.Vcpu ? "s light b" : "s b halo", "middle")));
            _anchors[t.Id] = (x + w, _y);
            result.Add((t, (x + w / 2, _y + h)));
            x += w + 6;
        }
        _y += h + 28;
        return result;
    }

    private void NodeBox(NumaNode? node, List<PhysicalCore> cores, Dictionary<int, (double X, double Y)> centers)
    {
        var cpu = _r.Host.Cpu;
        var top = _y;
        var id = node is null ? null : ReportIds.Node(node.Id);
        var content = new List<object>();
        var gpus = node is null ? [] : _r.Host.Gpus.Where(g => g.NumaNode == node.Id).Select(g => g.Slot.ToString()).ToList();
        var header = node is null
            ? (cpu.Nodes.Count == 0 ? "CPUs (no NUMA information)" : "CPUs on no known node")
            : $"NUMA node {node.Id} · CPUs {node.Cpus}" + (node.IsMemoryless ? " · no memory" : node.MemTotalKiB is { } t ? $" · {SvgText.Size(t)}" + (node.MemFreeKiB is { } f ? $" ({SvgText.Size(f)} free)" : "") : "")
              + HugePages(node) + (gpus.Count > 0 ? $" · GPU {string.Join(", ", gpus)}" : "") + PackagesOf(cores)
              + (_r.Pinning?.MemoryNodes.Contains(node.Id) == true ? " · VM memory here" : "");
        content.Add(Text(Margin + 8, top + 17, SvgText.Fit(header, (int)(Inner / SvgText.CharWidth) - 4), "b"));

        // L3 domains flow left to right inside the node, each wrapping its cores.
        var l3Groups = cores.GroupBy(c => c.L3).OrderBy(g => g.Min(c => c.FirstCpu)).ToList();
        var x = Margin + 8;
        var y = top + 26;
        var rowH = 0.0;
        var maxCols = (int)((Inner - 16 - 12) / (CoreW + CoreGap));
        foreach (var l3 in l3Groups)
        {
            var list = l3.OrderBy(c => c.FirstCpu).ToList();
            var threads = list.Max(c => c.Threads.Count);
            var coreH = threads * ThreadH + 2 * CorePad;
            var cols = Math.Min(list.Count, maxCols);
            var rows = (list.Count + cols - 1) / cols;
            var w = cols * (CoreW + CoreGap) - CoreGap + 12;
            var h = 18 + rows * (coreH + CoreGap) - CoreGap + 8;
            if (x + w > Width - Margin - 8) { x = Margin + 8; y += rowH + 8; rowH = 0; }
            var domain = l3.Key is { } i && i < cpu.L3Domains.Count ? cpu.L3Domains[i] : null;
            var label = domain is null ? "no L3 listed" : $"L3 #{domain.Index}" + (domain.SizeKiB is { } kib ? $" {SvgText.Size(kib)}" : "");
            content.Add(Rect(x, y, w, h, "l3"));
            content.Add(Text(x + 6, y + 13, SvgText.Fit(label, (int)(w / 6)), "s dim"));
            for (var k = 0; k < list.Count; k++)
                _front.Add(Core(list[k], x + 6 + (k % cols) * (CoreW + CoreGap), y + 18 + (k / cols) * (coreH + CoreGap), centers));
            x += w + 8;
            rowH = Math.Max(rowH, h);
        }
        var bottom = (l3Groups.Count == 0 ? y : y + rowH) + 8;
        _body.Add(Group(id, "numa", [Rect(Margin, top, Inner, bottom - top, "node" + (id is null ? "" : Mark(id))), .. content]));
        if (id is not null) _anchors[id] = (Width - Margin - 4, top);
        _y = bottom + 10;
    }

    private static string HugePages(NumaNode node)
    {
        var pools = node.HugePages.Where(h => h.Total > 0).Select(h => $"{h.Total}×{SvgText.PageSize(h.PageSizeKiB)} ({h.Free} free)").ToList();
        return pools.Count == 0 ? " · no huge pages" : " · huge pages " + string.Join(", ", pools);
    }

    private string PackagesOf(List<PhysicalCore> cores)
    {
        var ids = cores.Select(c => c.Package).Distinct().Order().ToList();
        return ids.Count == 0 ? "" : ids.Count == 1 ? $" · package {ids[0]}" : $" · packages {string.Join(",", ids)}";
    }

    private XElement Core(PhysicalCore core, double x, double y, Dictionary<int, (double X, double Y)> centers)
    {
        var cpu = _r.Host.Cpu;
        var g = Group(null, "core",
            Title($"core {core.Index} (package {core.Package}, core_id {core.CoreId}{(core.Type == CoreType.Efficiency ? ", efficiency" : core.Type == CoreType.Performance ? ", performance" : "")}): CPUs {core.Threads}"),
            Rect(x, y, CoreW, core.Threads.Count * ThreadH + 2 * CorePad, core.Type == CoreType.Efficiency ? "ecore" : "core", 4));
        for (var k = 0; k < core.Threads.Count; k++)
        {
            var n = core.Threads[k];
            var logical = cpu.Cpu(n);
            var tx = x + CorePad;
            var ty = y + CorePad + k * ThreadH;
            var on = _r.ThreadsOn(n).ToList();
            var id = ReportIds.Cpu(n);
            var cls = logical is { Online: false } ? "cpu off"
                : on.Count == 0 ? "cpu"
                : on.Any(t => t.Kind == PinnedThreadKind.Vcpu) ? "cpu vcpu"
                : on.Any(t => t.Kind == PinnedThreadKind.Emulator) ? "cpu emu" : "cpu io";
            var dark = cls == "cpu vcpu";
            var isolated = logical?.Isolated == true || cpu.Isolated.Contains(n) || cpu.NohzFull.Contains(n);
            var tag = on.Count == 0 ? (logical is { Online: false } ? "off" : "") : SvgText.Fit(string.Join("+", on.Select(t => t.Tag)), 6);
            var facts = $"CPU {n}: core {core.Index} (SMT siblings {core.Threads}), L3 {(logical?.L3?.ToString() ?? "none")}, node {(logical?.Node?.ToString() ?? "unknown")}" +
                (isolated ? ", isolated" : "") + (logical is { Online: false } ? ", offline" : "") +
                (on.Count > 0 ? "; runs " + string.Join(", ", on.Select(t => t.Label)) : "");
            var cell = Group(id, "hostcpu",
                Title(facts),
                Rect(tx, ty, ThreadW, ThreadH - 2, cls + Mark(id), 2),
                Text(tx + ThreadW / 2, ty + 12, n.ToString(System.Globalization.CultureInfo.InvariantCulture), dark ? "s b light" : "s b halo", "middle"),
                Text(tx + ThreadW / 2, ty + 24, tag, dark ? "t light" : "t b halo", "middle"));
            if (isolated) cell.Add(Rect(tx + 1, ty + 1, ThreadW - 2, 3, "iso", 0));
            g.Add(cell);
            centers[n] = (tx + ThreadW / 2, ty + 1);
            _anchors[id] = (tx + ThreadW + 4, ty - 2);
        }
        return g;
    }
}
