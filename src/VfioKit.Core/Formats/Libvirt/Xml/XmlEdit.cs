using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace VfioKit.Formats.Libvirt.Xml;

/// <summary>
/// A set of changes to a <see cref="SourceXml"/>, applied as splices of the original text: whatever
/// no change names (other elements, comments, attribute order and quotes, indentation, line endings)
/// stays byte-identical. Targets are elements of the original document; Apply reparses the result.
/// </summary>
public sealed class XmlEdit(SourceXml source)
{
    private readonly List<Splice> _splices = [];
    private int _sequence;

    public SourceXml Source { get; } = source;

    /// <summary>Sets an attribute: its value is replaced in place, or it is appended after the last attribute.</summary>
    public XmlEdit SetAttribute(XElement element, string name, string value)
    {
        var span = Source.SpanOf(element);
        var existing = span.Attributes.FirstOrDefault(a => a.Name == name);
        if (existing.Name is not null)
            return Add(existing.ValueStart, existing.ValueEnd, Escape(value, existing.Quote));
        var quote = span.Attributes.Count > 0 ? span.Attributes[0].Quote : '\'';
        var at = span.AttributeInsertPoint(Source.Text);
        return Add(at, at, $" {name}={quote}{Escape(value, quote)}{quote}");
    }

    /// <summary>Removes an attribute and the whitespace before it; nothing when it is absent.</summary>
    public XmlEdit RemoveAttribute(XElement element, string name)
    {
        var span = Source.SpanOf(element);
        var a = span.Attributes.FirstOrDefault(x => x.Name == name);
        if (a.Name is null) return this;
        var start = a.Start;
        while (start > 0 && char.IsWhiteSpace(Source.Text[start - 1])) start--;
        return Add(start, a.End, "");
    }

    /// <summary>Removes an element; when it stands alone on its lines, the whole lines go with it.</summary>
    public XmlEdit Remove(XElement element)
    {
        var (start, end) = WholeLines(Source.SpanOf(element));
        return Add(start, end, "");
    }

    /// <summary>Replaces an element by new elements, indented like the element (lines after the first).</summary>
    public XmlEdit Replace(XElement element, params IEnumerable<XNode> nodes)
    {
        var span = Source.SpanOf(element);
        return Add(span.Start, span.End, Indent(Serialize(nodes), LineIndent(span.Start)));
    }

    /// <summary>Inserts new elements on their own lines right after an element, with the element's indentation.</summary>
    public XmlEdit InsertAfter(XElement sibling, params IEnumerable<XNode> nodes)
    {
        var span = Source.SpanOf(sibling);
        var indent = LineIndent(span.Start);
        return Add(span.End, span.End, NewLine + indent + Indent(Serialize(nodes), indent));
    }

    /// <summary>Inserts new elements on their own lines right before an element, with the element's indentation.</summary>
    public XmlEdit InsertBefore(XElement sibling, params IEnumerable<XNode> nodes)
    {
        var span = Source.SpanOf(sibling);
        var indent = LineIndent(span.Start);
        return Add(span.Start, span.Start, Indent(Serialize(nodes), indent) + NewLine + indent);
    }

    /// <summary>Appends new elements as the last children of a parent, indented like its siblings.</summary>
    public XmlEdit AppendChild(XElement parent, params IEnumerable<XNode> nodes)
    {
        var last = parent.Elements().LastOrDefault();
        if (last is not null) return InsertAfter(last, nodes);
        var span = Source.SpanOf(parent);
        var parentIndent = LineIndent(span.Start);
        var childIndent = parentIndent + IndentUnit();
        var text = Serialize(nodes);
        if (span.SelfClosing)
        {
            var name = span.Name;
            var tagEnd = span.AttributeInsertPoint(Source.Text);
            return Add(tagEnd, span.End,
                $">{NewLine}{childIndent}{Indent(text, childIndent)}{NewLine}{parentIndent}</{name}>");
        }
        // An element with only text or whitespace inside: replace its content.
        return Add(span.StartTagEnd, span.EndTagStart,
            $"{NewLine}{childIndent}{Indent(text, childIndent)}{NewLine}{parentIndent}");
    }

    // The same, given the new elements as XML text: read and written again in the file's style.
    public XmlEdit Replace(XElement element, string fragment) => Replace(element, Fragment(fragment));
    public XmlEdit InsertAfter(XElement sibling, string fragment) => InsertAfter(sibling, Fragment(fragment));
    public XmlEdit InsertBefore(XElement sibling, string fragment) => InsertBefore(sibling, Fragment(fragment));
    public XmlEdit AppendChild(XElement parent, string fragment) => AppendChild(parent, Fragment(fragment));

    /// <summary>The edited text; throws when two changes overlap.</summary>
    public string ToText()
    {
        var ordered = _splices.OrderBy(s => s.Start).ThenBy(s => s.Sequence).ToList();
        var sb = new StringBuilder(Source.Text.Length + 256);
        var at = 0;
        foreach (var s in ordered)
        {
            if (s.Start < at)
                throw new InvalidOperationException($"overlapping edits at offset {s.Start} of {Source.Origin}");
            sb.Append(Source.Text, at, s.Start - at).Append(s.Text);
            at = s.End;
        }
        sb.Append(Source.Text, at, Source.Text.Length - at);
        return sb.ToString();
    }

    /// <summary>The edited document, parsed again (so further edits can target its elements).</summary>
    public SourceXml Apply() => SourceXml.Parse(ToText(), Source.Origin, Source.HasByteOrderMark);

    public bool IsEmpty => _splices.Count == 0;

    private XmlEdit Add(int start, int end, string text)
    {
        _splices.Add(new Splice(start, end, text, _sequence++));
        return this;
    }

    private string NewLine => Source.Text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";

    /// <summary>The whitespace between the start of the line and offset (empty when other text precedes it there).</summary>
    private string LineIndent(int offset)
    {
        var p = offset;
        while (p > 0 && Source.Text[p - 1] is ' ' or '\t') p--;
        return p == 0 || Source.Text[p - 1] == '\n' ? Source.Text[p..offset] : "";
    }

    private (int Start, int End) WholeLines(ElementSpan span)
    {
        var t = Source.Text;
        var start = span.Start;
        while (start > 0 && t[start - 1] is ' ' or '\t') start--;
        var end = span.End;
        while (end < t.Length && t[end] is ' ' or '\t') end++;
        var aloneBefore = start == 0 || t[start - 1] == '\n';
        var aloneAfter = end == t.Length || t[end] is '\n' or '\r';
        if (!aloneBefore || !aloneAfter) return (span.Start, span.End);
        if (end < t.Length && t[end] == '\r') end++;
        if (end < t.Length && t[end] == '\n') end++;
        return (start, end);
    }

    /// <summary>The document's indentation step: the smallest non-empty difference seen, else two spaces.</summary>
    private string IndentUnit()
    {
        foreach (var e in Source.Root.Elements())
        {
            var indent = LineIndent(Source.SpanOf(e).Start);
            if (indent.Length > 0) return indent;
        }
        return "  ";
    }

    /// <summary>New nodes as text in this file's attribute quote and indentation step.</summary>
    private string Serialize(IEnumerable<XNode> nodes)
    {
        var unit = IndentUnit();
        return ElementText.Of(nodes, Quote(), unit.All(c => c == unit[0]) ? unit : "  ");
    }

    /// <summary>The quote of the file's first attribute (libvirt writes ', hand-written files often "); ' when it has none.</summary>
    private char Quote()
    {
        foreach (var e in Source.Root.DescendantsAndSelf())
            if (Source.SpanOf(e).Attributes is { Count: > 0 } attributes) return attributes[0].Quote;
        return '\'';
    }

    /// <summary>The elements (and comments) of an XML fragment's text.</summary>
    private static List<XNode> Fragment(string text)
    {
        var settings = new XmlReaderSettings { ConformanceLevel = ConformanceLevel.Fragment, DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = true };
        using var reader = XmlReader.Create(new StringReader(text), settings);
        var nodes = new List<XNode>();
        reader.Read();
        while (!reader.EOF)
        {
            if (reader.NodeType is XmlNodeType.Element or XmlNodeType.Comment) nodes.Add(XNode.ReadFrom(reader));
            else reader.Read();
        }
        return nodes;
    }

    private string Indent(string fragment, string indent)
    {
        var lines = fragment.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        return string.Join(NewLine, lines.Select((l, i) => i == 0 || l.Length == 0 ? l : indent + l));
    }

    private static string Escape(string value, char quote)
    {
        var s = value.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);
        return quote == '\'' ? s.Replace("'", "&apos;", StringComparison.Ordinal) : s.Replace("\"", "&quot;", StringComparison.Ordinal);
    }

    private readonly record struct Splice(int Start, int End, string Text, int Sequence);
}
