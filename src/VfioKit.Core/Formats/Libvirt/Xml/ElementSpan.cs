namespace VfioKit.Formats.Libvirt.Xml;

/// <summary>Where one attribute sits in the original text: the value span excludes the quotes.</summary>
public readonly record struct AttributeSpan(string Name, int Start, int ValueStart, int ValueEnd, char Quote)
{
    /// <summary>One past the closing quote.</summary>
    public int End => ValueEnd + 1;
}

/// <summary>
/// Where one element sits in the original text, so that an edit can replace exactly its bytes:
/// Start is its '&lt;', StartTagEnd is one past the start tag's '&gt;', End is one past the end tag
/// (or equals StartTagEnd when the element is self-closing).
/// </summary>
public sealed record ElementSpan(
    string Name,
    int Start,
    int StartTagEnd,
    bool SelfClosing,
    IReadOnlyList<AttributeSpan> Attributes,
    int EndTagStart,
    int End)
{
    /// <summary>Offset where a new attribute goes: after the last attribute (or the name), before "/&gt;" or "&gt;".</summary>
    public int AttributeInsertPoint(string text)
    {
        var p = SelfClosing ? StartTagEnd - 2 : StartTagEnd - 1;
        // Keep any whitespace before "/>" after the new attribute: insert right after the last token.
        while (p > Start && char.IsWhiteSpace(text[p - 1])) p--;
        return p;
    }
}
