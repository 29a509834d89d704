using System.Text.RegularExpressions;
using System.Xml.Linq;
using VfioKit.Report;

namespace VfioKit.Tests.Report;

/// <summary>The picture is well-formed SVG, draws every CPU, function, guest device and finding under its id, and stays inside its width.</summary>
public sealed class ReportSvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    public static IEnumerable<object[]> HostsByConfigs() => ReportMatrix.HostsByConfigs();

    [Theory]
    [MemberData(nameof(HostsByConfigs))]
    public void Every_element_of_the_model_is_drawn_once_under_its_id(string host, string config)
    {
        var report = ReportMatrix.Build(ReportMatrix.HostRoot(host), ReportMatrix.ConfigParts(config));
        var svg = XDocument.Parse(ReportHtml.RenderSvg(report));
        AssertEveryElement(report, svg);
    }

    [Theory]
    [MemberData(nameof(Topologies))]
    public void Real_cpu_dumps_with_a_plan_draw_every_cpu_and_a_line_per_pin(string topology)
    {
        var report = ReportMatrix.Build(ReportMatrix.TopologyRoot(topology), ["libvirt", "passthrough", "tuned-windows.xml"], plan: true);
        var svg = XDocument.Parse(ReportHtml.RenderSvg(report));
        AssertEveryElement(report, svg);
        var lines = svg.Descendants(Svg + "path").Where(p => p.Attribute("data-from") is not null)
            .Select(p => (From: (string)p.Attribute("data-from")!, To: (string)p.Attribute("data-to")!)).ToHashSet();
        foreach (var t in report.Pinning!.Threads.Where(t => t.HostCpus.Count <= 4))
            foreach (var c in t.HostCpus.Where(c => report.Host.Cpu.Cpu(c) is not null))
                Assert.Contains((t.Id, ReportIds.Cpu(c)), lines);
        var vcpuCells = svg.Descendants(Svg + "g").Where(g => ((string?)g.Attribute("class")) == "hostcpu" && g.Elements(Svg + "rect").Any(r => ((string)r.Attribute("class")!).Contains("vcpu")));
        Assert.Equal(report.Pinning.Vcpus.SelectMany(v => v.HostCpus).Distinct().Count(), vcpuCells.Count());
    }

    public static IEnumerable<object[]> Topologies() => ReportMatrix.Topologies.Select(t => new object[] { t });

    [Fact]
    public void Nothing_is_drawn_outside_the_picture_width()
    {
        foreach (var t in ReportMatrix.Topologies)
        {
            var svg = XDocument.Parse(ReportHtml.RenderSvg(ReportMatrix.Build(ReportMatrix.TopologyRoot(t), ["configs", "seed-pcie0.sh"], plan: true)));
            var width = double.Parse((string)svg.Root!.Attribute("width")!, System.Globalization.CultureInfo.InvariantCulture);
            foreach (var r in svg.Descendants(Svg + "rect").Where(r => r.Attribute("x") is not null))
                Assert.True(Num(r, "x") >= 0 && Num(r, "x") + Num(r, "width") <= width, $"{t}: rect at x={Num(r, "x")} w={Num(r, "width")} exceeds {width}");
            foreach (var text in svg.Descendants(Svg + "text").Where(e => e.Attribute("text-anchor") is null))
                Assert.True(Num(text, "x") + text.Value.Length * 6.2 <= width, $"{t}: text '{text.Value}' runs past {width}");
        }
    }

    [Fact]
    public void A_gpu_on_the_root_bus_is_marked_at_its_guest_device_with_the_rule()
    {
        var report = ReportMatrix.Build(ReportMatrix.HostRoot("q35-gpu-iommu"), ["configs", "seed-pcie0.sh"]);
        var vk102 = report.Findings.Where(f => f.RuleId == "VK102").ToList();
        Assert.Equal(2, vk102.Count);
        var svg = XDocument.Parse(ReportHtml.RenderSvg(report));
        foreach (var f in vk102)
        {
            var device = svg.Descendants().Single(e => (string?)e.Attribute("id") == f.Elements[0]);
            Assert.Contains("integrated endpoint", device.Value);
            Assert.Contains("warn", (string)device.Element(Svg + "rect")!.Attribute("class")!);
            Assert.Contains(svg.Descendants(Svg + "a"), a => (string?)a.Attribute("href") == "#" + f.Id);
        }
    }

    internal static void AssertEveryElement(PassthroughReport report, XDocument svg)
    {
        var ids = svg.Descendants().Select(e => (string?)e.Attribute("id")).OfType<string>().ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var set = ids.ToHashSet();
        foreach (var c in report.Host.Cpu.Cores.SelectMany(c => c.Threads)) Assert.Contains(ReportIds.Cpu(c), set);
        foreach (var n in report.Host.Cpu.Nodes) Assert.Contains(ReportIds.Node(n.Id), set);
        foreach (var f in report.Host.PciFunctions) Assert.Contains(ReportIds.HostFunction(f.Address), set);
        foreach (var g in report.Host.IommuGroups) Assert.Contains(ReportIds.Group(g.Number), set);
        foreach (var c in report.Host.Readiness) Assert.Contains(ReportIds.Check(c.Id), set);
        if (report.Vm is { } vm)
            for (var i = 0; i < vm.View.Devices.Count; i++)
            {
                Assert.Contains(ReportIds.GuestDevice(i), set);
                var row = svg.Descendants().Single(e => (string?)e.Attribute("id") == ReportIds.GuestDevice(i));
                Assert.Contains(vm.View.Devices[i].Name, row.Element(Svg + "title")!.Value);
            }
        foreach (var t in report.Pinning?.Threads ?? []) Assert.Contains(t.Id, set);
        foreach (var f in report.Findings)
        {
            Assert.Contains(f.Id, set);
            var row = svg.Descendants().Single(e => (string?)e.Attribute("id") == f.Id);
            // The whole message is there as text (wrapped over lines): a search finds it.
            var drawn = string.Join(" ", row.Elements(Svg + "text").Select(t => t.Value));
            Assert.Contains(Normalize(f.Message), Normalize(drawn));
            if (f.RuleId is { } rule) Assert.Contains(row.Elements(Svg + "a"), a => (string?)a.Attribute("href") == "#rule-" + rule);
        }
    }

    /// <summary>Without white space: wrapping may cut a long word.</summary>
    private static string Normalize(string s) => Regex.Replace(SvgText.Line(s), @"\s+", "");

    private static double Num(XElement e, string attribute) =>
        double.Parse((string)e.Attribute(attribute)!, System.Globalization.CultureInfo.InvariantCulture);
}
