using System.Xml.Linq;

namespace VfioKit.Report;

/// <summary>
/// The drawing primitives of the report picture, as System.Xml.Linq elements: every string passes
/// <see cref="SvgText.Clean"/> and is escaped when written, so nothing read from input becomes markup.
/// </summary>
internal static class SvgCanvas
{
    public static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    public static XElement Rect(double x, double y, double w, double h, string cls, double radius = 3) =>
        new(Ns + "rect", new XAttribute("x", SvgText.Num(x)), new XAttribute("y", SvgText.Num(y)),
            new XAttribute("width", SvgText.Num(w)), new XAttribute("height", SvgText.Num(h)),
            new XAttribute("rx", SvgText.Num(radius)), new XAttribute("class", cls));

    public static XElement Text(double x, double y, string text, string? cls = null, string anchor = "start")
    {
        var e = new XElement(Ns + "text", new XAttribute("x", SvgText.Num(x)), new XAttribute("y", SvgText.Num(y)), SvgText.Line(text));
        if (cls is not null) e.Add(new XAttribute("class", cls));
        if (anchor != "start") e.Add(new XAttribute("text-anchor", anchor));
        return e;
    }

    public static XElement Line(double x1, double y1, double x2, double y2, string cls) =>
        new(Ns + "line", new XAttribute("x1", SvgText.Num(x1)), new XAttribute("y1", SvgText.Num(y1)),
            new XAttribute("x2", SvgText.Num(x2)), new XAttribute("y2", SvgText.Num(y2)), new XAttribute("class", cls));

    /// <summary>A tooltip and accessible name for the enclosing element.</summary>
    public static XElement Title(string text) => new(Ns + "title", SvgText.Clean(text));

    public static XElement Group(string? id, string? cls, params object[] content)
    {
        var g = new XElement(Ns + "g");
        if (id is not null) g.Add(new XAttribute("id", id));
        if (cls is not null) g.Add(new XAttribute("class", cls));
        g.Add(content);
        return g;
    }

    /// <summary>A link inside the document (SVG 2 href, which browsers follow inline in HTML).</summary>
    public static XElement Link(string fragment, params object[] content) =>
        new(Ns + "a", new XAttribute("href", "#" + fragment), content);
}
