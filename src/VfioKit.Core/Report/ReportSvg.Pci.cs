using System.Xml.Linq;
using VfioKit.Host;
using VfioKit.Pci;
using static VfioKit.Report.SvgCanvas;

namespace VfioKit.Report;

public sealed partial class ReportSvg
{
    private const int PciColumns = 3;
    private const double PciGap = 10, FunctionH = 30;

    /// <summary>Every host function, in boxes by IOMMU group (what passes to a VM together), in three balanced columns.</summary>
    private void Pci()
    {
        var host = _r.Host;
        var gpuFunctions = host.Gpus.SelectMany(g => g.Functions).Select(f => f.Function.Address).ToHashSet();
        var passed = _r.Vm?.View.Devices.Select(d => d.Device.HostAddress).OfType<PciAddress>().ToHashSet() ?? [];
        var notViable = host.Gpus.Where(g => g.Viability.Verdict == Viability.NotViable).SelectMany(g => g.Viability.Groups).ToHashSet();
        Section("Host PCI", $"{host.PciFunctions.Count} functions · {host.IommuGroups.Count} IOMMU groups · {host.Gpus.Count} GPU(s)" +
            (host.IommuGroups.Count == 0 ? " · no IOMMU groups (IOMMU off?)" : ""));

        var boxes = new List<(string? Id, string Title, string Cls, IReadOnlyList<PciAddress> Functions)>();
        foreach (var g in host.IommuGroups.OrderBy(g => g.Number))
        {
            var gpuHere = g.Devices.Any(gpuFunctions.Contains);
            var title = $"IOMMU group {g.Number}" + (notViable.Contains(g.Number) ? " · NOT VIABLE: shared with other devices" : gpuHere ? " · GPU, viable" : "");
            boxes.Add((ReportIds.Group(g.Number), title, notViable.Contains(g.Number) ? "box bad" : gpuHere ? "gpu" : "box", g.Devices.Order().ToList()));
        }
        var grouped = host.IommuGroups.SelectMany(g => g.Devices).ToHashSet();
        var loose = host.PciFunctions.Select(f => f.Address).Where(a => !grouped.Contains(a)).ToList();
        if (loose.Count > 0) boxes.Add((null, "no IOMMU group", "box", loose));

        var colW = (Inner - (PciColumns - 1) * PciGap) / PciColumns;
        var heights = new double[PciColumns];
        var top = _y + 4;
        var chars = (int)((colW - 16) / SvgText.CharWidth);
        foreach (var box in boxes)
        {
            var col = Array.IndexOf(heights, heights.Min());
            var x = Margin + col * (colW + PciGap);
            var y = top + heights[col];
            var h = 22 + box.Functions.Count * FunctionH + 4;
            var content = new List<object>
            {
                Rect(x, y, colW, h, box.Cls + (box.Id is null ? "" : Mark(box.Id))),
                Text(x + 8, y + 15, SvgText.Fit(box.Title, chars), "b s"),
            };
            for (var i = 0; i < box.Functions.Count; i++)
                content.Add(Function(box.Functions[i], x + 4, y + 20 + i * FunctionH, colW - 8, chars, gpuFunctions.Contains(box.Functions[i]), passed.Contains(box.Functions[i])));
            _body.Add(Group(box.Id, "iommu-group", [.. content]));
            if (box.Id is not null) _anchors[box.Id] = (x + colW - 2, y);
            heights[col] += h + PciGap;
        }
        _y = top + heights.Max();
    }

    private XElement Function(PciAddress a, double x, double y, double w, int chars, bool gpu, bool passed)
    {
        var f = _r.Host.Function(a);
        var id = ReportIds.HostFunction(a);
        var cls = f?.Class?.Name ?? "unknown class";
        var driver = f?.Driver ?? "no driver";
        var link = f?.Pcie is { } p && (p.LinkCapability is not null || p.LinkStatus is not null)
            ? $"LnkCap {p.LinkCapability?.ToString() ?? "?"} / LnkSta {p.LinkStatus?.ToString() ?? "?"}" : "";
        var line1 = $"{a} {cls} · {driver}" + (passed ? " · passed to the VM" : "");
        var line2 = (f?.Description ?? "not readable") + (link.Length > 0 ? " · " + link : "");
        var mark = Mark(id);
        var g = Group(id, "function",
            Title($"{a}: {cls}, {f?.Description}, driver {driver}, IOMMU group {f?.IommuGroup?.ToString() ?? "none"}, NUMA node {f?.NumaNode?.ToString() ?? "unknown"}" + (link.Length > 0 ? ", " + link : "")),
            Rect(x, y, w, FunctionH - 2, (passed ? "passed" : gpu ? "gpu" : "box") + mark, 2),
            Text(x + 5, y + 12, SvgText.Fit(line1, chars), gpu ? "s b" : "s"),
            Text(x + 5, y + 24, SvgText.Fit(line2, chars + 4), "t dim"));
        _anchors[id] = (x + w - 2, y);
        return g;
    }
}
