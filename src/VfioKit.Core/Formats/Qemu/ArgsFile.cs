using VfioKit.Vm;

namespace VfioKit.Formats.Qemu;

/// <summary>
/// A file with one QEMU argument per line, unquoted (what `printf '%s\n' "${args[@]}"` writes):
/// every non-blank line that is not a # comment is one argument, taken as written. libvirt's logged argv
/// (scripts/lab/libvirt.sh) starts with its environment (NAME=value lines) and the qemu binary: both skipped.
/// </summary>
public static class ArgsFile
{
    /// <summary>The binary line (when there is one) and the arguments, or null when the text is not in this
    /// form (a line holds several words).</summary>
    public static (ShellWord? Binary, IReadOnlyList<ShellWord> Words)? TryRead(string text, string origin)
    {
        var args = new List<ShellWord>();
        ShellWord? binary = null;
        var offset = 0;
        var number = 0;
        // Line by line without splitting the whole text first: a script of several words per line is refused at
        // its first such line.
        while (offset <= text.Length)
        {
            var lineStart = offset;
            var end = text.IndexOf('\n', offset);
            if (end < 0) end = text.Length;
            var raw = text[offset..end];
            offset = end + 1;
            number++;
            var line = raw.TrimEnd('\r');
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#')) continue;
            var column = line.IndexOf(trimmed[0]);
            var word = new ShellWord(trimmed, new SourceLocation(origin, number, column + 1, trimmed),
                lineStart + column, lineStart + column + trimmed.Length, QuoteStyle.Line);
            if (args.Count == 0 && !trimmed.StartsWith('-') && (IsEnvironment(trimmed) || QemuScript.IsQemuBinary(trimmed)))
            {
                if (QemuScript.IsQemuBinary(trimmed)) binary = word;
                continue;
            }
            if (!IsOneArgument(trimmed)) return null;
            args.Add(word);
        }
        return args.Count > 0 && QemuOptionTable.Name(args[0].Text) is not null ? (binary, args) : null;
    }

    /// <summary>Whether a line written as is still reads back as one argument of this form.</summary>
    public static bool IsOneArgument(string line) =>
        line.Length > 0 && !line.Contains('\n') && (line.StartsWith('{') ||
            !(line.Contains(' ') || line.Contains('\t') || line.EndsWith('\\') || line.Contains('\'') || line.Contains('"')));

    private static bool IsEnvironment(string line)
    {
        var eq = line.IndexOf('=');
        return eq > 0 && (char.IsAsciiLetter(line[0]) || line[0] == '_') && line.AsSpan(0, eq).IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") < 0;
    }
}
