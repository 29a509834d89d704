using VfioKit.Vm;

namespace VfioKit.Formats.Qemu;

/// <summary>
/// A file with one QEMU argument per line, unquoted (what `printf '%s\n' "${args[@]}"` writes):
/// every non-blank line that is not a # comment is one argument, taken as written. libvirt's logged argv
/// (scripts/lab/libvirt.sh) starts with its environment (NAME=value lines) and the qemu binary: both skipped.
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
            if (args.Count == 0 && !trimmed.StartsWith('-') && (IsEnvironment(trimmed) || IsQemuBinary(trimmed))) continue;
            if (!trimmed.StartsWith('{') && (trimmed.Contains(' ') || trimmed.Contains('\t') || trimmed.EndsWith('\\') ||
                                             trimmed.Contains('\'') || trimmed.Contains('"')))
                return null;
            args.Add(new QemuArg(trimmed, new SourceLocation(origin, i + 1, line.IndexOf(trimmed[0]) + 1, trimmed)));
        }
        return args.Count > 0 && QemuOptionTable.Name(args[0].Text) is not null ? args : null;
    }

    private static bool IsEnvironment(string line)
    {
        var eq = line.IndexOf('=');
        return eq > 0 && (char.IsAsciiLetter(line[0]) || line[0] == '_') && line.AsSpan(0, eq).IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") < 0;
    }

    private static bool IsQemuBinary(string line)
    {
        var name = line[(line.LastIndexOf('/') + 1)..];
        return name.StartsWith("qemu-system-", StringComparison.Ordinal) || name == "qemu-kvm";
    }
}
