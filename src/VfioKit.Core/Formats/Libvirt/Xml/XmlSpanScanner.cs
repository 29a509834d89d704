using VfioKit.Diagnostics;

namespace VfioKit.Formats.Libvirt.Xml;

/// <summary>
/// Finds the spans of every element of a text, in document order (the order of XDocument.Descendants), in the
/// one pass over the text that comes before System.Xml reads it: it refuses a nesting deeper than the reader
/// accepts, naming where (XDocument.Load takes minutes on 100,000 nested elements). It only skips comments,
/// CDATA, processing instructions and the DOCTYPE and reads quoted attribute values; it never validates, and
/// gives null for text that is not shaped like XML, whose error System.Xml then names.
/// </summary>
public static class XmlSpanScanner
{
    public static IReadOnlyList<ElementSpan>? Scan(string text, string origin, int maxDepth)
    {
        var result = new List<ElementSpan>();
        var open = new Stack<(int Index, string Name, int Start, int StartTagEnd, List<AttributeSpan> Attrs)>();
        var i = 0;
        while (i < text.Length)
        {
            var lt = text.IndexOf('<', i);
            if (lt < 0) break;
            if (Starts(text, lt, "<!--")) { i = After(text, lt + 4, "-->"); continue; }
            if (Starts(text, lt, "<![CDATA[")) { i = After(text, lt + 9, "]]>"); continue; }
            if (Starts(text, lt, "<?")) { i = After(text, lt + 2, "?>"); continue; }
            if (Starts(text, lt, "<!")) { i = SkipDeclaration(text, lt); continue; }
            if (Starts(text, lt, "</"))
            {
                var gt = text.IndexOf('>', lt);
                if (gt < 0 || open.Count == 0) return null;
                var (index, name, start, startTagEnd, attrs) = open.Pop();
                result[index] = new ElementSpan(name, start, startTagEnd, false, attrs, lt, gt + 1);
                i = gt + 1;
                continue;
            }
            if (open.Count >= maxDepth) throw TooDeep(text, lt, origin, open.Count + 1, maxDepth);
            i = ReadStartTag(text, lt, result, open);
            if (i < 0) return null;
        }
        return open.Count == 0 ? result : null;
    }

    /// <summary>Reads one start tag; the offset after it, or -1 when the text ends inside it.</summary>
    private static int ReadStartTag(string text, int lt, List<ElementSpan> result,
        Stack<(int, string, int, int, List<AttributeSpan>)> open)
    {
        var p = lt + 1;
        var nameStart = p;
        while (p < text.Length && !char.IsWhiteSpace(text[p]) && text[p] != '>' && text[p] != '/') p++;
        var name = text[nameStart..p];
        var attrs = new List<AttributeSpan>();
        while (p < text.Length)
        {
            while (p < text.Length && char.IsWhiteSpace(text[p])) p++;
            if (p == text.Length) break;
            if (text[p] == '>')
            {
                result.Add(null!);
                open.Push((result.Count - 1, name, lt, p + 1, attrs));
                return p + 1;
            }
            if (text[p] == '/')
            {
                // "/>": a self-closing element, complete now.
                result.Add(new ElementSpan(name, lt, p + 2, true, attrs, p + 2, p + 2));
                return p + 2;
            }
            var attrStart = p;
            while (p < text.Length && text[p] != '=' && !char.IsWhiteSpace(text[p])) p++;
            var attrName = text[attrStart..p];
            while (p < text.Length && text[p] != '\'' && text[p] != '"') p++;
            if (p == text.Length) break;
            var quote = text[p];
            var valueStart = p + 1;
            var valueEnd = text.IndexOf(quote, valueStart);
            if (valueEnd < 0) break;
            attrs.Add(new AttributeSpan(attrName, attrStart, valueStart, valueEnd, quote));
            p = valueEnd + 1;
        }
        return -1;
    }

    /// <summary>The line and column System.Xml would give the element (its name, 1-based).</summary>
    private static InputException TooDeep(string text, int lt, string origin, int depth, int maxDepth)
    {
        var lineStart = text.LastIndexOf('\n', Math.Max(0, lt - 1)) + 1;
        var line = 1 + text.AsSpan(0, lt).Count('\n');
        var nameEnd = text.IndexOfAny([' ', '\t', '\r', '\n', '>', '/'], lt + 1);
        var name = text[(lt + 1)..(nameEnd < 0 ? text.Length : nameEnd)];
        return new InputException(origin, line, lt + 1 - lineStart + 1,
            $"<{name}> is nested {depth} elements deep; vfiokit reads at most {maxDepth} (a libvirt domain needs fewer than 10)");
    }

    private static int SkipDeclaration(string text, int lt)
    {
        // <!DOCTYPE ... [ ... ]>: brackets may hold '>' characters.
        var depth = 0;
        for (var p = lt + 2; p < text.Length; p++)
        {
            switch (text[p])
            {
                case '[': depth++; break;
                case ']': depth--; break;
                case '>' when depth <= 0: return p + 1;
            }
        }
        return text.Length;
    }

    private static bool Starts(string text, int at, string token) => string.CompareOrdinal(text, at, token, 0, token.Length) == 0;

    private static int After(string text, int from, string token)
    {
        var end = text.IndexOf(token, from, StringComparison.Ordinal);
        return end < 0 ? text.Length : end + token.Length;
    }
}
