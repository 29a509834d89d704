using System.Text;

namespace VfioKit.Formats.Qemu;

/// <summary>
/// Quotes one word for a POSIX shell. Plain words stay bare; words with shell expansions read from a
/// script ($VAR, ${VAR}) are double-quoted so they still expand; anything else is single-quoted.
/// </summary>
public static class ShellQuoting
{
    public static string Quote(string word)
    {
        if (word.Length > 0 && word.All(IsPlain)) return word;
        if (HasExpansion(word))
        {
            var sb = new StringBuilder("\"");
            foreach (var c in word)
            {
                if (c is '"' or '\\' or '`') sb.Append('\\');
                sb.Append(c);
            }
            return sb.Append('"').ToString();
        }
        return "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    private static bool IsPlain(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ',' or '/' or ':' or '=' or '+' or '@' or '%';

    private static bool HasExpansion(string word)
    {
        for (var i = 0; i + 1 < word.Length; i++)
            if (word[i] == '$' && (char.IsAsciiLetter(word[i + 1]) || word[i + 1] is '_' or '{')) return true;
        return false;
    }
}
