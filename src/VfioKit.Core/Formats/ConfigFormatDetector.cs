using VfioKit.Diagnostics;
using VfioKit.Formats.Qemu;

namespace VfioKit.Formats;

/// <summary>
/// Tells a libvirt domain XML, a QEMU command line (argv file or launch script) and a Proxmox qemu-server
/// config apart by their structure, so `vfiokit lint FILE` needs no --format: XML starts with '&lt;'; a
/// Proxmox config's first line (after # notes) is `key: value`; a QEMU file is shell whose commands run a
/// qemu binary or are all options. What a line says never decides: a Proxmox `args:` line or a note full of
/// ` -device ` and `qemu-system` is still a Proxmox config.
/// </summary>
public static class ConfigFormatDetector
{
    public static ConfigFormat Detect(string path, string text)
    {
        var nul = text.IndexOf('\0');
        if (nul >= 0 || HasControl(text))
        {
            var at = text.TakeWhile(c => c >= ' ' || c is '\n' or '\r' or '\t').Count();
            throw new InputException(path, LineOf(text, at), null, "binary data: not a libvirt domain XML, QEMU command line or Proxmox config");
        }
        var body = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (body.Length == 0) throw new InputException(path, 1, null, "the file is empty");
        if (body[0] == '<') return ConfigFormat.Libvirt;
        if (FirstStatement(body) is { } first && IsProxmoxKey(first)) return ConfigFormat.Proxmox;
        if (body[0] == '-' || IsQemuShell(path, text)) return ConfigFormat.Qemu;
        throw new InputException(path, 1, null, "cannot tell the format: expected a libvirt domain XML (<domain ...>), a QEMU command line (qemu-system-x86_64 ... / -device ...) or a Proxmox config (key: value lines)");
    }

    /// <summary>The first line that is neither blank nor a # comment.</summary>
    private static string? FirstStatement(string body)
    {
        // Line by line without splitting the whole text: a 4 MiB script has some 75,000 lines.
        for (var at = 0; at <= body.Length;)
        {
            var end = body.IndexOf('\n', at);
            if (end < 0) end = body.Length;
            var line = body.AsSpan(at, end - at).Trim();
            if (line.Length > 0 && line[0] != '#') return line.ToString();
            at = end + 1;
        }
        return null;
    }

    /// <summary>`key: value` with a qemu-server key (letters, digits, - and _); no shell command reads so.</summary>
    private static bool IsProxmoxKey(string line)
    {
        var colon = line.IndexOf(':');
        return colon > 0 && line.AsSpan(0, colon).IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") < 0
               && (colon + 1 == line.Length || line[colon + 1] is ' ' or '\t');
    }

    /// <summary>Shell text with a qemu command, or whose commands all start with an option (an argument file).
    /// Text the shell reader refuses (an unbalanced quote) is given to the QEMU reader, which names the line.</summary>
    private static bool IsQemuShell(string path, string text)
    {
        IReadOnlyList<ShellCommand> commands;
        try
        {
            commands = ShellScriptTokenizer.Tokenize(text, path);
        }
        catch (InputException)
        {
            return true;
        }
        // AllWords: an array assignment's elements too (CMD=( qemu-system-x86_64 -machine q35 ... )).
        return commands.Any(c => c.AllWords.Any(w => QemuScript.IsQemuBinary(w.Text)))
               || commands.Count > 0 && commands.All(c => c.Words.Count > 0 && c.Assignments.Count == 0 && c.Words[0].Text.StartsWith('-'))
               // A script whose qemu is a variable ($QEMU -machine q35 ...): the QEMU reader says what it misses.
               || commands.Any(c => c.AllWords.Skip(1).Any(w => w.Text is "-device" or "-machine" or "-M" or "-enable-kvm"));
    }

    private static bool HasControl(string text)
    {
        foreach (var c in text)
            if (c < ' ' && c is not ('\n' or '\r' or '\t')) return true;
        return false;
    }

    private static int LineOf(string text, int offset) => 1 + text.AsSpan(0, Math.Min(offset, text.Length)).Count('\n');
}
