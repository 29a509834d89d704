namespace VfioKit.Formats.Qemu;

/// <summary>
/// The commands that run another command given after their own options (exec, sudo, env, taskset, chrt,
/// numactl, nice, ionice, nohup, time, stdbuf) and the reserved words a command list starts with: skipped,
/// with their options and operands, to find the word the shell runs.
/// </summary>
internal static class CommandPrefixes
{
    /// <summary>The index of the command word of <paramref name="words"/> (expanded words), or words.Count when there is none.</summary>
    public static int CommandWord(IReadOnlyList<ShellWord> words)
    {
        var i = 0;
        while (i < words.Count)
        {
            if (words[i].Unknown is not null) return i;
            var text = words[i].Text;
            switch (text[(text.LastIndexOf('/') + 1)..])
            {
                case "then" or "do" or "else" or "{" or "!" or "nohup" or "command":
                    i++;
                    break;
                case "exec":
                    i = Options(words, i + 1, "a");
                    break;
                case "sudo" or "doas":
                    i = Assignments(words, Options(words, i + 1, "ugCDhpRrtTUc"));
                    break;
                case "env":
                    i = Assignments(words, Options(words, i + 1, "uSCP"));
                    break;
                case "taskset":
                    // taskset [-a] [-c] MASK|LIST command
                    i = Options(words, i + 1, "") + 1;
                    break;
                case "chrt":
                    // chrt [-f|-r|-o|-b|-i|-d] [-T N -P N -D N] PRIORITY command
                    i = Options(words, i + 1, "TPD") + 1;
                    break;
                case "numactl":
                    i = Options(words, i + 1, "CmNipPb", ["physcpubind", "membind", "cpunodebind", "interleave", "preferred", "cpubind", "weighted-interleave"]);
                    break;
                case "nice":
                    i = Options(words, i + 1, "n", ["adjustment"]);
                    break;
                case "ionice":
                    i = Options(words, i + 1, "cnp", ["class", "classdata"]);
                    break;
                case "time":
                    i = Options(words, i + 1, "fo");
                    break;
                case "stdbuf":
                    i = Options(words, i + 1, "ioe");
                    break;
                default:
                    return i;
            }
        }
        return words.Count;
    }

    /// <summary>Skips options from <paramref name="i"/>: "--" ends them; a short option in <paramref name="withArgument"/>
    /// written alone ("-c", not "-c2") and a long option in <paramref name="longWithArgument"/> without "=" take the next word.</summary>
    private static int Options(IReadOnlyList<ShellWord> words, int i, string withArgument, string[]? longWithArgument = null)
    {
        while (i < words.Count && words[i].Unknown is null && words[i].Text.Length > 1 && words[i].Text[0] == '-')
        {
            var text = words[i].Text;
            if (text == "--") return i + 1;
            var takesNext = text.StartsWith("--", StringComparison.Ordinal)
                ? !text.Contains('=') && longWithArgument?.Contains(text[2..]) == true
                : text.Length == 2 && withArgument.Contains(text[1]);
            i += takesNext ? 2 : 1;
        }
        return i;
    }

    /// <summary>Skips NAME=value words (sudo's and env's environment).</summary>
    private static int Assignments(IReadOnlyList<ShellWord> words, int i)
    {
        while (i < words.Count && words[i].Unknown is null && IsAssignment(words[i].Text)) i++;
        return i;
    }

    private static bool IsAssignment(string word)
    {
        var eq = word.IndexOf('=');
        return eq > 0 && (char.IsAsciiLetter(word[0]) || word[0] == '_') && word.AsSpan(0, eq).IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") < 0;
    }
}
