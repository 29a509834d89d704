using System.Text;

namespace VfioKit.Formats.Qemu;

/// <summary>
/// Writes shell words, the one place vfiokit quotes for a POSIX shell: new words (generated scripts, dry
/// runs) and rewritten words of a script, which keep their quoting style and every expansion as written.
/// </summary>
public static class ShellQuoting
{
    /// <summary>
    /// Quotes a new word. Plain words stay bare; words with shell expansions read from a script ($VAR, ${VAR})
    /// are double-quoted so they still expand; anything else is single-quoted.
    /// </summary>
    public static string Quote(string word)
    {
        if (IsPlain(word)) return word;
        return HasExpansion(word) ? DoubleQuote(word, escapeDollar: false) : SingleQuote(word);
    }

    /// <summary>A word whose text must reach the command as is: bare when no shell treats any of its
    /// characters specially, else single-quoted (nothing expands inside single quotes).</summary>
    public static string Literal(string word) => IsPlain(word) ? word : SingleQuote(word);

    /// <summary>
    /// The text that replaces <paramref name="word"/> so that it reads as <paramref name="value"/>: the
    /// word's expansions still in <paramref name="value"/> are written as they were (each a self-contained
    /// piece of shell), everything around them is literal, quoted in the word's style. The result is always
    /// one valid shell word, however the value was edited.
    /// </summary>
    public static string Requote(ShellWord word, string value)
    {
        // An argument file takes the line as it is (ArgsFile.IsOneArgument says whether it still reads back).
        if (word.Style == QuoteStyle.Line) return value;
        var pieces = new List<(string Text, ShellExpansion? Expansion)>();
        var at = 0;
        foreach (var e in word.Expansions)
        {
            var found = value.IndexOf(e.Raw, at, StringComparison.Ordinal);
            if (found < 0) continue;
            if (found > at) pieces.Add((value[at..found], null));
            pieces.Add((e.Raw, e));
            at = found + e.Raw.Length;
        }
        if (at < value.Length || pieces.Count == 0) pieces.Add((value[at..], null));

        var sb = new StringBuilder();
        var open = false;
        void Close() { if (open) sb.Append('"'); open = false; }
        for (var i = 0; i < pieces.Count; i++)
        {
            var (text, e) = pieces[i];
            if (e is { } x)
            {
                if (x.InDoubleQuotes) { if (!open) sb.Append('"'); open = true; sb.Append(x.Raw); }
                else { Close(); sb.Append(x.Raw); }
                continue;
            }
            if (word.Style == QuoteStyle.Double)
            {
                if (!open) sb.Append('"');
                open = true;
                sb.Append(DoubleQuote(text, escapeDollar: true)[1..^1]);
                continue;
            }
            Close();
            // "$GPU" then ".0" is fine bare, but "$GPU" then "x" would read as $GPUx.
            var afterName = i > 0 && pieces[i - 1].Expansion is { InDoubleQuotes: false } p && p.Raw.Length > 1 && p.Raw[0] == '$' && IsNameChar(p.Raw[1]);
            sb.Append(word.Style == QuoteStyle.Single || !IsPlain(text) || afterName && IsNameChar(text[0]) ? SingleQuote(text) : text);
        }
        Close();
        return sb.ToString();
    }

    private static string SingleQuote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string DoubleQuote(string s, bool escapeDollar)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            if (c is '"' or '\\' or '`' || escapeDollar && c == '$') sb.Append('\\');
            sb.Append(c);
        }
        return sb.Append('"').ToString();
    }

    private static bool IsPlain(string word) => word.Length > 0 && word.All(IsPlain);

    private static bool IsPlain(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ',' or '/' or ':' or '=' or '+' or '@' or '%';

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static bool HasExpansion(string word)
    {
        for (var i = 0; i + 1 < word.Length; i++)
            if (word[i] == '$' && (char.IsAsciiLetter(word[i + 1]) || word[i + 1] is '_' or '{')) return true;
        return false;
    }
}
