using System.Globalization;
using System.Text;
using System.Xml;

namespace VfioKit.Report;

/// <summary>
/// Text from input made safe for a report: characters XML cannot hold (control characters, lone
/// surrogates; line breaks are kept) become U+FFFD; markup characters are escaped by System.Xml.Linq when written. Plus the
/// few measuring and wrapping rules the layout uses (a monospace-like estimate: no fonts are loaded).
/// </summary>
public static class SvgText
{
    /// <summary>Average advance of the report's 12px sans-serif text, generous so text stays inside its box.</summary>
    public const double CharWidth = 7.0;

    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        StringBuilder? b = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            bool ok;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                b?.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }
            ok = XmlConvert.IsXmlChar(c) && (c >= ' ' || c is '\t' or '\n');
            if (ok && b is null) continue;
            if (b is null) b = new StringBuilder(text.Length).Append(text, 0, i);
            b.Append(ok ? c : '\uFFFD');
        }
        return b?.ToString() ?? text;
    }

    /// <summary>One line of picture text: <see cref="Clean"/>, with line breaks as spaces.</summary>
    public static string Line(string? text) => Clean(text).Replace('\n', ' ');

    /// <summary>Cuts text to a number of characters, with an ellipsis.</summary>
    public static string Fit(string text, int chars) => text.Length <= chars ? text : chars <= 1 ? "…" : text[..(chars - 1)] + "…";

    /// <summary>Splits text into lines of at most <paramref name="chars"/> characters, at spaces when it can.</summary>
    public static IReadOnlyList<string> Wrap(string text, int chars)
    {
        var lines = new List<string>();
        var rest = text;
        while (rest.Length > chars)
        {
            var cut = rest.LastIndexOf(' ', chars);
            if (cut <= chars / 3) cut = chars;
            lines.Add(rest[..cut].TrimEnd());
            rest = rest[cut..].TrimStart();
        }
        if (rest.Length > 0 || lines.Count == 0) lines.Add(rest);
        return lines;
    }

    public static double Width(string text) => text.Length * CharWidth;

    public static string Num(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>"31.4 GiB" from KiB.</summary>
    public static string Size(long kib) => kib >= 1024 * 1024
        ? (kib / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " GiB"
        : (kib / 1024.0).ToString("0", CultureInfo.InvariantCulture) + " MiB";

    /// <summary>"2M", "1G" for a huge page size in KiB.</summary>
    public static string PageSize(long kib) => kib >= 1048576 ? $"{kib / 1048576}G" : kib >= 1024 ? $"{kib / 1024}M" : $"{kib}K";
}
