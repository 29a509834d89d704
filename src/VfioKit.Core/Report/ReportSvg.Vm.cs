using System.Xml.Linq;
using VfioKit.GuestView;
using static VfioKit.Report.SvgCanvas;

namespace VfioKit.Report;

public sealed partial class ReportSvg
{
    private const double GuestRowH = 32, Indent = 22;

    /// <summary>The guest's PCIe tree as the prediction sees it: one row per device, indented under its bus.</summary>
    private void Vm()
    {
        if (_r.Vm is not { } vm)
        {
            Section("VM");
            _y += 14;
            _body.Add(Group(ReportIds.Vm, null, Text(Margin, _y, "No VM configuration given (--config FILE).", "dim")));
            _y += 6;
            return;
        }
        var view = vm.View;
        Section("VM guest PCIe tree", $"{vm.Path} · {vm.Format} · machine {view.Topology.Machine.Type} · predicted for QEMU {view.QemuVersion} · {vm.Vcpus} vCPUs, {vm.ThreadsPerCore} per core");
        _y += 4;
        var vmTop = _y;
        _anchors[ReportIds.Vm] = (Width - Margin, vmTop);
        var rows = new List<object>();
        foreach (var i in ReportBuilder.TreeOrder(view))
        {
            var d = view.Devices[i];
            var depth = Math.Max(0, d.Path.Count - 2);
            var x = Margin + 8 + depth * Indent;
            var w = Width - Margin - 8 - x;
            var id = ReportIds.GuestDevice(i);
            var chars = (int)((w - 10) / SvgText.CharWidth);
            var address = d.GuestAddress is { } a ? $"{a.Bus:x2}:{a.Device:x2}.{a.Function}" : "not visible";
            var line1 = $"{d.Name} ({d.Device.Driver}) · guest {address} · {ReportBuilder.Describe(d.Sees)}";
            var host = d.Device.HostAddress is { } h ? $"host {h}" + (_r.Host.Function(h) is { } hf ? $" {hf.Description}" : " (not on this host)") : null;
            var links = string.Join(" · ", new[]
            {
                host,
                d.Link is { } l ? $"link {l}" : d.Device.IsPassthrough ? "no link" : null,
                d.PortLink is { } pl ? $"port link {pl}" + (d.PortLinkStatus is { } ps ? $" (status {ps})" : "") : null,
                d.Note,
            }.Where(s => s is not null));
            var cls = (d.Device.IsPassthrough ? "passed" : d.Device.IsImplicit ? "implicit" : "box") + Mark(id);
            if (depth > 0)
                rows.Add(Line(x - Indent / 2, _y - 4, x - Indent / 2, _y + GuestRowH / 2 - 1, "core"));
            if (depth > 0)
                rows.Add(Line(x - Indent / 2, _y + GuestRowH / 2 - 1, x, _y + GuestRowH / 2 - 1, "core"));
            rows.Add(Group(id, "guest-device",
                Title($"{line1}. {links}"),
                Rect(x, _y, w, GuestRowH - 4, cls, 2),
                Text(x + 6, _y + 12, SvgText.Fit(line1, chars), d.Device.IsPassthrough ? "s b" : "s"),
                Text(x + 6, _y + 24, SvgText.Fit(links, chars + 8), "t dim")));
            _anchors[id] = (x + w - 2, _y);
            _y += GuestRowH;
        }
        _body.Add(Group(ReportIds.Vm, "vm", [.. rows]));
    }
}
