using System.Text;
using VfioKit.Diagnostics;
using VfioKit.Formats.Qemu;
using VfioKit.Vm;

namespace VfioKit.Formats.Proxmox;

/// <summary>
/// `args:`, the QEMU options qemu-server appends after the command line it builds (PVE::QemuServer
/// config_to_command pushes PVE::Tools::split_args($conf->{args}) last). split_args is Perl's
/// Text::ParseWords::shellwords: words split at blanks, '...' taken literally, "..." and bare text with
/// backslash escapes, and nothing else special (no ; | &amp; # or expansion), so it is split here the same
/// way and the words read by the QEMU front end, each at its column on the config line.
/// </summary>
public static class ProxmoxArgs
{
    /// <summary>The options of `args:` (none when the entry is absent).</summary>
    public static QemuScript Read(ProxmoxConfig config)
    {
        if (config.Entry("args") is not { Value: { Length: > 0 } value } line) return QemuScript.FromWords(config.Path, []);
        var at = line.Text.IndexOf(value, StringComparison.Ordinal);
        var words = Split(value, (column, message) => new InputException(config.Path, line.Number, at + column, message))
            .Select(w => new ShellWord(w.Text, new SourceLocation(config.Path, line.Number, at + w.Column, w.Text)))
            .ToList();
        return QemuScript.FromWords(config.Path, words);
    }

    /// <summary>shellwords: each word with its 1-based column in <paramref name="value"/>.</summary>
    public static IReadOnlyList<(string Text, int Column)> Split(string value, Func<int, string, Exception> error)
    {
        var words = new List<(string, int)>();
        var i = 0;
        while (i < value.Length)
        {
            if (char.IsWhiteSpace(value[i])) { i++; continue; }
            var start = i;
            var word = new StringBuilder();
            while (i < value.Length && !char.IsWhiteSpace(value[i]))
            {
                var c = value[i];
                if (c is '"' or '\'')
                {
                    var close = i + 1;
                    while (close < value.Length && value[close] != c) close += value[close] == '\\' ? 2 : 1;
                    // Text::ParseWords returns no words at all for an unbalanced quote: qemu-server would pass none.
                    if (close >= value.Length) throw error(i + 1, $"args: unbalanced {c} (qemu-server's split_args would pass no arguments at all)");
                    var inner = value[(i + 1)..close];
                    for (var k = 0; k < inner.Length; k++)
                        // Inside "...", a backslash escapes the next character; inside '...' it is kept.
                        if (c == '"' && inner[k] == '\\' && k + 1 < inner.Length) word.Append(inner[++k]);
                        else word.Append(inner[k]);
                    i = close + 1;
                }
                else if (c == '\\' && i + 1 < value.Length) { word.Append(value[i + 1]); i += 2; }
                else { word.Append(c); i++; }
            }
            words.Add((word.ToString(), start + 1));
        }
        return words;
    }
}
