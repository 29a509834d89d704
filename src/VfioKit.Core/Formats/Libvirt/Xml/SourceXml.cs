using System.Runtime.CompilerServices;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using VfioKit.Diagnostics;

namespace VfioKit.Formats.Libvirt.Xml;

/// <summary>
/// An XML text and its parse, kept together: the text is the source of truth (written back byte for
/// byte), the XDocument (whitespace preserved, line info kept) is what the typed views read, and every
/// element knows its span in the text so an edit can change only its own bytes.
/// </summary>
public sealed class SourceXml
{
    private readonly ConditionalWeakTable<XElement, ElementSpan> _spans = new();

    /// <summary>The file path (or "-") used in error messages.</summary>
    public string Origin { get; }
    public string Text { get; }
    /// <summary>True when the file began with a UTF-8 byte order mark (kept on write).</summary>
    public bool HasByteOrderMark { get; }
    public XDocument Document { get; }
    public XElement Root => Document.Root!;

    private SourceXml(string origin, string text, bool bom, XDocument document, IReadOnlyList<ElementSpan>? spans)
    {
        Origin = origin;
        Text = text;
        HasByteOrderMark = bom;
        Document = document;
        var elements = document.Descendants().ToList();
        if (spans is null || spans.Count != elements.Count)
            throw new InputException(origin, null, null, $"XML structure could not be indexed ({spans?.Count ?? 0} tags, {elements.Count} elements)");
        for (var i = 0; i < spans.Count; i++) _spans.Add(elements[i], spans[i]);
    }

    /// <summary>The span of an element of this document.</summary>
    public ElementSpan SpanOf(XElement element) =>
        _spans.TryGetValue(element, out var span) ? span : throw new ArgumentException($"<{element.Name.LocalName}> is not an element of {Origin}");

    /// <summary>The exact original text of an element.</summary>
    public string SourceOf(XElement element)
    {
        var s = SpanOf(element);
        return Text[s.Start..s.End];
    }

    /// <summary>The bytes to write: the text in UTF-8, with the original byte order mark if there was one.</summary>
    public byte[] ToBytes()
    {
        var body = Encoding.UTF8.GetBytes(Text);
        return HasByteOrderMark ? [0xEF, 0xBB, 0xBF, .. body] : body;
    }

    public static SourceXml Load(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(path, null, null, $"cannot read: {e.Message}", e);
        }
        return FromBytes(bytes, path);
    }

    public static SourceXml FromBytes(ReadOnlySpan<byte> bytes, string origin)
    {
        var bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
        if (bom) bytes = bytes[3..];
        string text;
        try { text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes); }
        catch (DecoderFallbackException e)
        {
            var at = Math.Max(0, e.Index);
            var line = 1 + bytes[..Math.Min(at, bytes.Length)].Count((byte)'\n');
            throw new InputException(origin, line, null, "not UTF-8 text (binary data?)", e);
        }
        return Parse(text, origin, bom);
    }

    public static SourceXml Parse(string text, string origin, bool byteOrderMark = false)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit, // no entity expansion from untrusted files
            IgnoreWhitespace = false,
            IgnoreComments = false,
            XmlResolver = null,
        };
        // The spans and the depth bound first, in one pass over the text; then System.Xml reads it, once.
        var spans = XmlSpanScanner.Scan(text, origin, MaxDepth);
        XDocument doc;
        // A byte order mark left in the text (read as text, not bytes): kept in Text, so written back, not parsed.
        var body = text.StartsWith('\uFEFF') ? text[1..] : text;
        try
        {
            using var reader = XmlReader.Create(new StringReader(body), settings);
            doc = XDocument.Load(reader, LoadOptions.PreserveWhitespace | LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            // Errors found at the end of the text ("Root element is missing") come without a position.
            var line = e.LineNumber > 0 ? e.LineNumber : 1 + text.Count(c => c == '\n');
            throw new InputException(origin, line, e.LinePosition > 0 ? e.LinePosition : null,
                $"malformed XML: {StripPosition(e.Message)}", e);
        }
        if (doc.Root is null) throw new InputException(origin, 1, null, "no root element");
        return new SourceXml(origin, text, byteOrderMark, doc, spans);
    }

    /// <summary>
    /// The deepest element nesting accepted. A libvirt domain nests about 6 deep (domain/devices/hostdev/source/address);
    /// libvirt's own parser (libxml2) stops at 256 by default, and an unbounded depth costs time and stack
    /// in every recursive walk. Checked by the span scan before System.Xml reads the text, so it is read
    /// once by each, not a second time by System.Xml for the depth alone.
    /// </summary>
    public const int MaxDepth = 256;

    /// <summary>The line of an element (1-based) as System.Xml recorded it.</summary>
    public static int? LineOf(XObject node) => node is IXmlLineInfo li && li.HasLineInfo() ? li.LineNumber : null;

    public static int? ColumnOf(XObject node) => node is IXmlLineInfo li && li.HasLineInfo() ? li.LinePosition : null;

    private static string StripPosition(string message)
    {
        // XmlException messages end with "Line 3, position 7."; the location is reported separately.
        var i = message.IndexOf(" Line ", StringComparison.Ordinal);
        return i > 0 ? message[..i] : message;
    }
}
