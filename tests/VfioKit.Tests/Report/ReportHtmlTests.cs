using System.Xml.Linq;
using VfioKit.Report;
using VfioKit.Tests.Cli;

namespace VfioKit.Tests.Report;

/// <summary>The HTML file is self-contained (nothing fetched, no script), well-formed, embeds every named rule, and escapes what it reads.</summary>
public sealed class ReportHtmlTests
{
    [Fact]
    public void The_page_fetches_nothing_runs_nothing_and_embeds_every_named_rule()
    {
        var report = ReportMatrix.Build(ReportMatrix.HostRoot("q35-gpu-iommu"), ["libvirt", "passthrough", "tuned-windows.xml"]);
        var html = ReportHtml.Render(report, id => $"page of {id}");
        Assert.StartsWith("<!DOCTYPE html>\n", html);
        var doc = XDocument.Parse(html["<!DOCTYPE html>\n".Length..]);
        Assert.DoesNotContain(doc.Descendants(), e => e.Name.LocalName is "script" or "img" or "link" or "iframe" or "object");
        // The only URL is the SVG namespace name, which is never fetched.
        var urls = doc.Descendants().SelectMany(e => e.Attributes()).Where(a => a.Value.Contains("://")).Select(a => a.Value).Distinct().ToList();
        Assert.Equal(["http://www.w3.org/2000/svg"], urls);
        var csp = doc.Descendants("meta").Single(m => (string?)m.Attribute("http-equiv") == "Content-Security-Policy");
        Assert.StartsWith("default-src 'none'", (string)csp.Attribute("content")!);
        var rules = report.Findings.Select(f => f.RuleId).OfType<string>().Distinct().ToList();
        Assert.NotEmpty(rules);
        foreach (var rule in rules)
        {
            var section = doc.Descendants("section").Single(s => (string?)s.Attribute("id") == "rule-" + rule);
            Assert.Contains($"page of {rule}", section.Value);
        }
    }

    [Fact]
    public void Hostile_names_in_a_configuration_are_text_not_markup()
    {
        using var dir = new TempDirectory("vk-report-");
        var config = Path.Combine(dir.Path, "evil.sh");
        // A device id holding markup, an entity and a quote (control characters are refused as binary by the reader).
        File.WriteAllText(config, "qemu-system-x86_64 -machine q35 \\\n  -device 'vfio-pci,host=0000:01:00.0,id=x<script>alert(1)</script>&amp;\"'\n");
        var run = CliRun.Of("report", "--host", ReportMatrix.HostRoot("q35-gpu-iommu"), "--config", config, "--format", "html");
        Assert.True(run.ExitCode is 0 or 1, run.Error);
        Assert.DoesNotContain("<script>", run.Out);
        var doc = XDocument.Parse(run.Out["<!DOCTYPE html>\n".Length..]);
        Assert.DoesNotContain(doc.Descendants(), e => e.Name.LocalName == "script");
        Assert.Contains(doc.Descendants().Where(e => e.Name.LocalName == "text"), t => t.Value.Contains("x<script>alert(1)</script>&amp;\"", StringComparison.Ordinal));

        var text = CliRun.Of("report", "--host", ReportMatrix.HostRoot("q35-gpu-iommu"), "--config", config);
        Assert.Contains("x<script>", text.Out);
    }

    [Fact]
    public void Characters_xml_cannot_hold_become_replacement_characters()
    {
        Assert.Equal("a\uFFFD[31mb\uFFFDc", SvgText.Clean("a\u001b[31mb\ud800c"));
        Assert.Equal("line one line two", SvgText.Line("line one\nline two"));
        Assert.Equal("\U0001F600 ok", SvgText.Clean("\U0001F600 ok"));
    }
}
