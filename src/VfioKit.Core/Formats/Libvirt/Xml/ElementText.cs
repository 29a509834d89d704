using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace VfioKit.Formats.Libvirt.Xml;

/// <summary>
/// XML nodes as text, one element a line and children indented, with attribute values in a chosen quote:
/// <c>'</c> as libvirt writes its own files, or whatever an edited file uses. Every libvirt writer and every
/// fragment the editor inserts is serialized here by System.Xml, so escaping is never written by hand.
/// </summary>
public static class ElementText
{
    /// <summary>The nodes one after the other (no XML declaration, no final newline).</summary>
    public static string Of(IEnumerable<XNode> nodes, char quote = '\'', string indent = "  ")
    {
        if (quote is not ('\'' or '"')) throw new ArgumentOutOfRangeException(nameof(quote), quote, "an XML attribute is quoted with ' or \"");
        if (indent.Length == 0 || indent.Any(c => c != indent[0]) || indent[0] is not (' ' or '\t'))
            throw new ArgumentOutOfRangeException(nameof(indent), indent, "one indentation character, repeated");
        var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        // XmlTextWriter is the BCL writer that takes a quote character (XmlWriter.Create always writes ").
        using (var writer = new XmlTextWriter(text) { Formatting = Formatting.Indented, Indentation = indent.Length, IndentChar = indent[0], QuoteChar = quote })
        {
            foreach (var node in nodes)
            {
                CheckAttributes(node);
                node.WriteTo(writer);
            }
        }
        return text.ToString();
    }

    public static string Of(XNode node, char quote = '\'', string indent = "  ") => Of([node], quote, indent);

    /// <summary>
    /// Comment text that XML accepts: "--" cannot stand in a comment, nor "-" at its end, so a dash there
    /// is followed by a space (the text reads the same).
    /// </summary>
    public static XComment Comment(string text)
    {
        var safe = text.Replace("--", "- -", StringComparison.Ordinal).Replace("--", "- -", StringComparison.Ordinal);
        return new XComment(safe.EndsWith('-') ? safe + " " : safe);
    }

    /// <summary>
    /// XmlTextWriter writes a tab in an attribute value as it is, and every XML reader turns it into a space:
    /// refused here rather than written to come back different.
    /// </summary>
    private static void CheckAttributes(XNode node)
    {
        if (node is not XElement element) return;
        foreach (var e in element.DescendantsAndSelf())
            foreach (var a in e.Attributes())
                if (a.Value.Contains('\t'))
                    throw new ArgumentException($"<{e.Name.LocalName} {a.Name.LocalName}=...> holds a tab, which an XML attribute cannot keep (readers turn it into a space)");
    }
}
