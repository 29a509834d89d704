using System.Globalization;
using System.Text;

namespace VfioKit.Diagnostics;

/// <summary>
/// Text for a message with the characters a terminal shows as nothing or as a plain space made visible:
/// a no-break space pasted from a web page reads "-device vfio-pci" but is one word to the shell and QEMU,
/// so a message must show it as &lt;U+00A0&gt;, not as the space it looks like.
/// </summary>
public static class VisibleText
{
    public static string Of(string text)
    {
        if (!text.Any(NeedsShowing)) return text;
        var b = new StringBuilder(text.Length + 16);
        foreach (var ch in text)
            if (NeedsShowing(ch)) b.Append("<U+").Append(((int)ch).ToString("X4", CultureInfo.InvariantCulture)).Append('>');
            else b.Append(ch);
        return b.ToString();
    }

    /// <summary>Space separators other than the ASCII space (U+00A0, U+2007, U+202F, ...), zero-width and format
    /// characters (U+200B, U+FEFF), and control characters other than tab and newline.</summary>
    private static bool NeedsShowing(char ch) =>
        ch != ' ' && ch != '\t' && ch != '\n' && (char.GetUnicodeCategory(ch) is UnicodeCategory.SpaceSeparator or UnicodeCategory.Format
            || (char.IsControl(ch) && ch != '\r'));
}
