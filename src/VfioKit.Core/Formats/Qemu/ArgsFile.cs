using VfioKit.Vm;

namespace VfioKit.Formats.Qemu;

/// <summary>
/// A file with one QEMU argument per line, unquoted (what `printf '%s\n' "${args[@]}"` writes):
/// every non-blank line that is not a # comment is one argument, taken as written.
/// </summary>
public static class ArgsFile
{
    /// <summary>The arguments, or null when the text is not in this form (a line holds several words).</summary>
    public static IReadOnlyList<QemuArg>? TryRead(string text, string origin)
    {
        var args = new List<QemuArg>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#')) continue;
            if (!trimmed.StartsWith('{') && (trimmed.Contains(' ') || trimmed.Contains('\t') || trimmed.EndsWith('\\') ||
                                             trimmed.Contains('\'') || trimmed.Contains('"')))
                return null;
            args.Add(new QemuArg(trimmed, new SourceLocation(origin, i + 1, line.IndexOf(trimmed[0]) + 1, trimmed)));
        }
        return args.Count > 0 && QemuOptionTable.Name(args[0].Text) is not null ? args : null;
    }
}
