using VfioKit.Diagnostics;

namespace VfioKit.Formats;

/// <summary>
/// Tells a libvirt domain XML, a QEMU command line (argv file or launch script) and a Proxmox qemu-server
/// config apart by their text, so `vfiokit lint FILE` needs no --format.
/// </summary>
public static class ConfigFormatDetector
{
    public static ConfigFormat Detect(string path, string text)
    {
        var nul = text.IndexOf('\0');
        if (nul >= 0 || text.Any(c => c < ' ' && c is not ('\n' or '\r' or '\t')))
        {
            var at = text.TakeWhile(c => c >= ' ' || c is '\n' or '\r' or '\t').Count();
            throw new InputException(path, LineOf(text, at), null, "binary data: not a libvirt domain XML, QEMU command line or Proxmox config");
        }
        var body = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (body.Length == 0) throw new InputException(path, 1, null, "the file is empty");
        if (body[0] == '<') return ConfigFormat.Libvirt;
        if (text.Contains("qemu-system", StringComparison.Ordinal) || text.Contains("qemu-kvm", StringComparison.Ordinal)
            || body.StartsWith('-') || text.Contains("\n-", StringComparison.Ordinal) || text.Contains(" -device ", StringComparison.Ordinal)
            || text.Contains(" -machine ", StringComparison.Ordinal))
            return ConfigFormat.Qemu;
        foreach (var raw in body.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var colon = line.IndexOf(':');
            if (colon > 0 && line[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return ConfigFormat.Proxmox;
            break;
        }
        throw new InputException(path, 1, null, "cannot tell the format: expected a libvirt domain XML (<domain ...>), a QEMU command line (qemu-system-x86_64 ... / -device ...) or a Proxmox config (key: value lines)");
    }

    private static int LineOf(string text, int offset) => 1 + text.AsSpan(0, Math.Min(offset, text.Length)).Count('\n');
}
