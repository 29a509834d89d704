using System.Xml.Linq;
using VfioKit.Rules;

namespace VfioKit.Report;

/// <summary>
/// The report as one self-contained HTML file: the SVG picture inline, then the text of every rule a
/// finding names (so its link works offline) and what could not be read. No script; a Content Security
/// Policy of default-src 'none' keeps the browser from fetching anything. Built with System.Xml.Linq, so
/// the output is also well-formed XML and every input string is escaped.
/// </summary>
public static class ReportHtml
{
    private const string PageCss = """
        body { font-family: sans-serif; margin: 16px auto; max-width: 1120px; padding: 0 8px; color: #111; background: #fff }
        svg { display: block; max-width: 100%; height: auto }
        h2 { font-size: 16px; margin-top: 24px }
        pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f6f6; padding: 8px; border-left: 3px solid #777 }
        section.rule:target { outline: 3px solid #1d4f7a }
        @media print { body { max-width: none; margin: 0 } section.rule { break-inside: avoid } }
        """;

    /// <param name="rulePage">A rule's page text (docs/rules/VKnnn.md) by id, or null when there is none.</param>
    public static string Render(PassthroughReport report, Func<string, string?> rulePage)
    {
        var svg = ReportSvg.Render(report);
        var title = "vfiokit report" + (report.Vm is null ? "" : $": {report.Vm.Path}");
        var body = new XElement("main", svg);

        var rules = report.Findings.Select(f => f.RuleId).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
        if (rules.Count > 0)
        {
            var section = new XElement("section", new XAttribute("id", "rules"), new XElement("h2", "Rules named by the findings"));
            foreach (var id in rules)
            {
                var descriptor = RuleCatalog.Find(id)?.Descriptor;
                section.Add(new XElement("section", new XAttribute("id", ReportIds.Rule(id)), new XAttribute("class", "rule"),
                    new XElement("h3", SvgText.Clean(descriptor is null ? id : $"{id}: {descriptor.Title}")),
                    new XElement("pre", SvgText.Clean(rulePage(id) ?? descriptor?.Why ?? "No page for this rule."))));
            }
            body.Add(section);
        }
        if (report.Host.Notes.Count > 0)
            body.Add(new XElement("section", new XAttribute("id", "notes"), new XElement("h2", "What could not be read"),
                new XElement("ul", report.Host.Notes.Select(n => new XElement("li", SvgText.Clean(n))))));

        var html = new XElement("html", new XAttribute("lang", "en"),
            new XElement("head",
                new XElement("meta", new XAttribute("charset", "utf-8")),
                new XElement("meta", new XAttribute("http-equiv", "Content-Security-Policy"),
                    new XAttribute("content", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")),
                new XElement("meta", new XAttribute("name", "viewport"), new XAttribute("content", "width=device-width, initial-scale=1")),
                new XElement("title", SvgText.Clean(title)),
                new XElement("style", PageCss)),
            new XElement("body", body));
        return "<!DOCTYPE html>\n" + html.ToString(SaveOptions.None) + "\n";
    }

    /// <summary>The picture alone, as a standalone SVG document.</summary>
    public static string RenderSvg(PassthroughReport report) =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + ReportSvg.Render(report).ToString(SaveOptions.None) + "\n";
}
