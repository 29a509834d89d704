using System.Xml.Linq;
using VfioKit.Host;
using static VfioKit.Report.SvgCanvas;

namespace VfioKit.Report;

public sealed partial class ReportSvg
{
    /// <summary>Every finding in full, wrapped; its rule id links to the rule's page (embedded in the HTML).</summary>
    private void Findings()
    {
        Section("Findings", _r.Findings.Count == 0 ? "none" : $"{_r.Findings.Count(f => f.Severity == "error")} errors, {_r.Findings.Count(f => f.Severity == "warning")} warnings");
        var chars = (int)((Inner - 150) / SvgText.CharWidth);
        foreach (var f in _r.Findings)
        {
            _y += 6;
            var lines = SvgText.Wrap(SvgText.Line(f.Message), chars);
            var origin = f.Origin switch
            {
                FindingOrigin.Lint => "lint",
                FindingOrigin.GuestView => "guest view",
                FindingOrigin.Pinning => "pinning",
                _ => "readiness",
            };
            var content = new List<object>
            {
                new XElement(Ns + "circle", new XAttribute("cx", SvgText.Num(Margin + 10)), new XAttribute("cy", SvgText.Num(_y + 8)), new XAttribute("r", "9"), new XAttribute("class", $"badge-{f.Severity}")),
                Text(Margin + 10, _y + 12, f.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), f.Severity == "error" ? "t b light" : "t b", "middle"),
                Text(Margin + 26, _y + 12, f.Severity, f.Severity == "error" ? "fail" : f.Severity == "warning" ? "warnt" : null),
            };
            if (f.RuleId is { } rule)
                content.Add(Link(ReportIds.Rule(rule), Text(Margin + 88, _y + 12, rule, "b")));
            else
                content.Add(Text(Margin + 88, _y + 12, origin, "s dim"));
            for (var i = 0; i < lines.Count; i++)
                content.Add(Text(Margin + 140, _y + 12 + i * 15, lines[i]));
            var where = f.Location is null ? "" : f.Location;
            if (where.Length > 0)
            {
                content.Add(Text(Margin + 140, _y + 12 + lines.Count * 15, SvgText.Fit($"at {where}", chars), "s dim"));
                _y += 15;
            }
            _body.Add(Group(f.Id, "finding", [Title($"finding {f.Number}: {f.Severity} {f.RuleId ?? origin}"), .. content]));
            _y += lines.Count * 15 + 2;
        }
        if (_r.Findings.Count == 0)
        {
            _y += 16;
            _body.Add(Text(Margin, _y, "No findings.", "dim"));
        }
    }

    private void Readiness()
    {
        Section("Host readiness");
        var chars = (int)((Inner - 230) / SvgText.CharWidth);
        foreach (var c in _r.Host.Readiness)
        {
            var id = ReportIds.Check(c.Id);
            _y += 4;
            var (word, cls) = c.Status switch { CheckStatus.Pass => ("pass", "pass"), CheckStatus.Warn => ("WARN", "warnt"), _ => ("FAIL", "fail") };
            var lines = SvgText.Wrap(SvgText.Line(c.Detail + (c.Fix is null ? "" : $" · fix: {c.Fix}")), chars);
            var content = new List<object> { Text(Margin + 4, _y + 12, word, cls), Text(Margin + 50, _y + 12, SvgText.Fit(c.Title, 24), "b") };
            for (var i = 0; i < lines.Count; i++) content.Add(Text(Margin + 230, _y + 12 + i * 15, lines[i], "s"));
            _body.Add(Group(id, "check", [Title($"{c.Title}: {word}"), .. content]));
            _anchors[id] = (Margin + 214, _y + 2);
            _y += lines.Count * 15 + 2;
        }
    }
}
