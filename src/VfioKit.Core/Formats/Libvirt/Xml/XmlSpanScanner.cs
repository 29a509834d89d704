namespace VfioKit.Formats.Libvirt.Xml;

/// <summary>
/// Finds the spans of every element of a text that System.Xml already accepted as well-formed, in
/// document order (the order of XDocument.Descendants). It only has to skip comments, CDATA,
/// processing instructions and the DOCTYPE, and read quoted attribute values; it never validates.
/// </summary>
public static class XmlSpanScanner
{
    public static IReadOnlyList<ElementSpan> Scan(string text)
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
                var (index, name, start, startTagEnd, attrs) = open.Pop();
                result[index] = new ElementSpan(name, start, startTagEnd, false, attrs, lt, gt + 1);
                i = gt + 1;
                continue;
            }
            i = ReadStartTag(text, lt, result, open);
        }
        return result;
    }

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
            while (text[p] != '\'' && text[p] != '"') p++;
            var quote = text[p];
            var valueStart = p + 1;
            var valueEnd = text.IndexOf(quote, valueStart);
            attrs.Add(new AttributeSpan(attrName, attrStart, valueStart, valueEnd, quote));
            p = valueEnd + 1;
        }
        return p;
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
