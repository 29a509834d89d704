using System.Xml.Linq;
using VfioKit.GuestView;
using VfioKit.Host;
using VfioKit.Host.Cpu;
using VfioKit.Pci;
using static VfioKit.Report.SvgCanvas;

namespace VfioKit.Report;

/// <summary>
/// Draws a <see cref="PassthroughReport"/> as one SVG picture: the host's CPUs (node, L3, core, SMT
/// thread) with the VM's threads drawn to the CPUs they are pinned to, the host's IOMMU groups and
/// functions, the guest's PCIe tree, the findings (each also as a numbered badge at its element) and the
/// readiness checklist. Fixed width; rows wrap, so 2 to 256 CPUs and 1 to 8 nodes stay legible.
/// </summary>
public sealed partial class ReportSvg
{
    public const double Width = 1120;
    private const double Margin = 16;
    private const double Inner = Width - 2 * Margin;

    private readonly PassthroughReport _r;
    private readonly List<XElement> _body = [];
    /// <summary>Drawn in this order: backgrounds and text, pinning lines, CPU cells (over the lines' ends), badges.</summary>
    private readonly List<XElement> _lines = [];
    private readonly List<XElement> _front = [];
    private readonly List<XElement> _overlay = [];
    /// <summary>Where an element's badges go (its top right corner).</summary>
    private readonly Dictionary<string, (double X, double Y)> _anchors = [];
    private double _y = Margin;

    private ReportSvg(PassthroughReport report) => _r = report;

    /// <summary>The picture as an &lt;svg&gt; element (namespace http://www.w3.org/2000/svg).</summary>
    public static XElement Render(PassthroughReport report) => new ReportSvg(report).Build();

    private XElement Build()
    {
        Heading();
        Cpus();
        Pci();
        Vm();
        Findings();
        Readiness();
        Badges();
        var height = _y + Margin;
        var vmName = _r.Vm is null ? "" : $" and VM {_r.Vm.Path}";
        return new XElement(Ns + "svg",
            new XAttribute("version", "1.1"),
            new XAttribute("width", SvgText.Num(Width)), new XAttribute("height", SvgText.Num(height)),
            new XAttribute("viewBox", $"0 0 {SvgText.Num(Width)} {SvgText.Num(height)}"),
            new XAttribute("role", "img"), new XAttribute("aria-labelledby", "report-title report-desc"),
            new XElement(Ns + "title", new XAttribute("id", "report-title"), SvgText.Clean($"vfiokit report: host {_r.Host.Root}{vmName}")),
            new XElement(Ns + "desc", new XAttribute("id", "report-desc"),
                SvgText.Clean($"{_r.Host.Cpu.Online.Count} host CPUs in {Math.Max(1, _r.Host.Cpu.Nodes.Count)} NUMA nodes, {_r.Host.PciFunctions.Count} PCI functions, " +
                    $"{_r.Vm?.View.Devices.Count ?? 0} guest devices, {_r.Findings.Count} findings")),
            Defs(),
            _body, _lines, _front, _overlay);
    }

    private static XElement Defs() => new(Ns + "defs",
        new XElement(Ns + "style", ReportStyle.Css),
        new XElement(Ns + "pattern", new XAttribute("id", "hatch"), new XAttribute("width", "6"), new XAttribute("height", "6"),
            new XAttribute("patternUnits", "userSpaceOnUse"), new XAttribute("patternTransform", "rotate(45)"),
            new XElement(Ns + "rect", new XAttribute("width", "6"), new XAttribute("height", "6"), new XAttribute("fill", "#fff")),
            new XElement(Ns + "line", new XAttribute("x1", "0"), new XAttribute("y1", "0"), new XAttribute("x2", "0"), new XAttribute("y2", "6"),
                new XAttribute("stroke", "#888"), new XAttribute("stroke-width", "1.5"))),
        new XElement(Ns + "pattern", new XAttribute("id", "dots"), new XAttribute("width", "5"), new XAttribute("height", "5"),
            new XAttribute("patternUnits", "userSpaceOnUse"),
            new XElement(Ns + "rect", new XAttribute("width", "5"), new XAttribute("height", "5"), new XAttribute("fill", "#fff")),
            new XElement(Ns + "circle", new XAttribute("cx", "2.5"), new XAttribute("cy", "2.5"), new XAttribute("r", "1"), new XAttribute("fill", "#777"))));

    private void Heading()
    {
        _y += 18;
        _body.Add(Text(Margin, _y, "vfiokit report", "h1"));
        _y += 18;
        var vm = _r.Vm is null ? "no VM configuration" : $"VM {_r.Vm.Path} ({_r.Vm.Format})";
        var pin = _r.Pinning is null ? "no pinning" : $"pinning from the {(_r.Pinning.Source == PinningSource.Plan ? "plan" : "configuration")}";
        _body.Add(Text(Margin, _y, SvgText.Fit($"host {_r.Host.Root} · {vm} · {pin} · {_r.Findings.Count} findings", (int)(Inner / SvgText.CharWidth)), "dim"));
        _y += 12;
        Legend();
    }

    private void Legend()
    {
        var x = Margin;
        var y = _y;
        void Item(string cls, string label, string? tag = null, bool dark = false, bool bar = false)
        {
            _body.Add(Rect(x, y, 22, 16, cls, 2));
            if (bar) _body.Add(Rect(x + 1, y + 1, 20, 3, "iso", 0));
            if (tag is not null) _body.Add(Text(x + 11, y + 12, tag, dark ? "t light" : "t", "middle"));
            _body.Add(Text(x + 28, y + 12, label, "s"));
            x += 34 + SvgText.Width(label) * 0.85;
        }
        Item("cpu vcpu", "vCPU pinned here", "v0", dark: true);
        Item("cpu emu", "emulator thread");
        Item("cpu io", "I/O thread");
        Item("cpu", "isolated (bar on top)", bar: true);
        Item("cpu off", "offline");
        Item("box bad", "error");
        Item("box warn", "warning");
        _body.Add(Group(null, null, new XElement(Ns + "circle", new XAttribute("cx", SvgText.Num(x + 9)), new XAttribute("cy", SvgText.Num(y + 8)),
            new XAttribute("r", "8"), new XAttribute("class", "badge-warning")), Text(x + 9, y + 12, "n", "t b", "middle")));
        _body.Add(Text(x + 22, y + 12, "finding n (listed below)", "s"));
        _y += 30;
    }

    private void Section(string title, string? subtitle = null)
    {
        _y += 20;
        _body.Add(Text(Margin, _y, title, "h2"));
        if (subtitle is not null) _body.Add(Text(Margin + SvgText.Width(title) * 1.25 + 12, _y, SvgText.Fit(subtitle, (int)((Inner - SvgText.Width(title) * 1.25) / SvgText.CharWidth)), "dim"));
        _y += 10;
    }

    /// <summary>The outline class of an element: error or warning when a finding concerns it.</summary>
    private string Mark(string id)
    {
        var severities = _r.Findings.Where(f => f.Elements.Contains(id)).Select(f => f.Severity).ToList();
        return severities.Contains("error") ? " bad" : severities.Contains("warning") ? " warn" : "";
    }

    private void Badges()
    {
        foreach (var (id, at) in _anchors)
        {
            var k = 0;
            foreach (var f in _r.FindingsAt(id))
            {
                var cx = at.X - 2 - 19 * k++;
                var cy = at.Y + 1;
                _overlay.Add(Link(f.Id,
                    Group($"badge-{f.Number}", null,
                        Title($"finding {f.Number}: {f.Severity}{(f.RuleId is null ? "" : " " + f.RuleId)}: {f.Message}"),
                        new XElement(Ns + "circle", new XAttribute("cx", SvgText.Num(cx)), new XAttribute("cy", SvgText.Num(cy)), new XAttribute("r", "9"),
                            new XAttribute("class", $"badge-{f.Severity}")),
                        Text(cx, cy + 4, f.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), f.Severity == "error" ? "t b light" : "t b", "middle"))));
            }
        }
    }
}
