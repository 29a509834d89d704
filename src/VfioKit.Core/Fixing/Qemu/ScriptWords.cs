using System.Text;
using VfioKit.Diagnostics;

namespace VfioKit.Fixing.Qemu;

/// <summary>
/// Splits a launch script (or an argv file) into commands of words with their spans: line continuations,
/// comments, single and double quotes, backslash escapes. Variables stay as written ($NVIDIA.0).
/// Enough of POSIX sh for QEMU launch scripts; anything it cannot follow (an unterminated quote) is an
/// error naming the line.
/// </summary>
public static class ScriptWords
{
    /// <summary>The commands of the script, each a list of words.</summary>
    public static IReadOnlyList<IReadOnlyList<ScriptWord>> Commands(string path, string text)
    {
        var commands = new List<IReadOnlyList<ScriptWord>>();
        var current = new List<ScriptWord>();
        var i = 0;
        var line = 1;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length && text[i + 1] == '\n') { i += 2; line++; continue; }
            if (c == '\\' && i + 2 < text.Length && text[i + 1] == '\r' && text[i + 2] == '\n') { i += 3; line++; continue; }
            if (c is ' ' or '\t' or '\r') { i++; continue; }
            if (c is '\n' or ';' or '&' or '|')
            {
                if (c == '\n') line++;
                End(commands, ref current);
                i++;
                continue;
            }
            if (c == '#')
            {
                while (i < text.Length && text[i] != '\n') i++;
                continue;
            }
            current.Add(Word(path, text, ref i, ref line));
        }
        End(commands, ref current);
        return commands;
    }

    private static void End(List<IReadOnlyList<ScriptWord>> commands, ref List<ScriptWord> current)
    {
        if (current.Count > 0) commands.Add(current);
        current = [];
    }

    private static ScriptWord Word(string path, string text, ref int i, ref int line)
    {
        var start = i;
        var startLine = line;
        var value = new StringBuilder();
        var style = QuoteStyle.Bare;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is ' ' or '\t' or '\n' or '\r' or ';' or '&' or '|') break;
            if (c == '\'')
            {
                if (style == QuoteStyle.Bare && i == start) style = QuoteStyle.Single;
                var close = text.IndexOf('\'', i + 1);
                if (close < 0) throw new InputException(path, startLine, null, "unterminated ' quote");
                value.Append(text, i + 1, close - i - 1);
                line += text.AsSpan(i, close - i).Count('\n');
                i = close + 1;
                continue;
            }
            if (c == '"')
            {
                if (style == QuoteStyle.Bare && i == start) style = QuoteStyle.Double;
                i++;
                while (true)
                {
                    if (i >= text.Length) throw new InputException(path, startLine, null, "unterminated \" quote");
                    var d = text[i];
                    if (d == '"') { i++; break; }
                    if (d == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`') { value.Append(text[i + 1]); i += 2; continue; }
                    if (d == '\\' && i + 1 < text.Length && text[i + 1] == '\n') { i += 2; line++; continue; }
                    if (d == '\n') line++;
                    value.Append(d);
                    i++;
                }
                continue;
            }
            if (c == '\\' && i + 1 < text.Length)
            {
                if (text[i + 1] == '\n') { i += 2; line++; continue; }
                value.Append(text[i + 1]);
                i += 2;
                continue;
            }
            value.Append(c);
            i++;
        }
        return new ScriptWord(value.ToString(), start, i, startLine, style);
    }

    /// <summary>Writes a value as a shell word in the given style; a bare word that needs quotes gets double quotes.</summary>
    public static string Quote(string value, QuoteStyle style)
    {
        var safe = value.Length > 0 && value.All(ch => char.IsAsciiLetterOrDigit(ch) || ",._-=:/+@%$".Contains(ch));
        if (style == QuoteStyle.Bare && safe) return value;
        if (style == QuoteStyle.Single) return "'" + value.Replace("'", "'\\''") + "'";
        // Double quotes keep $VARS expanding as they did in a bare word.
        return "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("`", "\\`") + "\"";
    }
}
