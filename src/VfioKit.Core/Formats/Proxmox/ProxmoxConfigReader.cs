using VfioKit.Diagnostics;

namespace VfioKit.Formats.Proxmox;

/// <summary>Parses the text of a qemu-server config; reading the file is the caller's business.</summary>
public static class ProxmoxConfigReader
{
    public static ProxmoxConfig Parse(string path, string text)
    {
        var lines = new List<ProxmoxLine>();
        string? section = null;
        // A UTF-8 byte order mark stays in the text (so a rewrite keeps it) but is no part of line 1.
        var offset = text.StartsWith('\uFEFF') ? 1 : 0;
        var number = 0;
        while (offset < text.Length)
        {
            number++;
            var nl = text.IndexOf('\n', offset);
            var end = nl < 0 ? text.Length : nl;
            var next = nl < 0 ? text.Length : nl + 1;
            var content = text[offset..end].TrimEnd('\r');
            var trimmed = content.Trim();
            string? key = null, value = null;
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                // Blank lines and comments (the VM's description is stored as "#..." lines) stay as they are.
            }
            else if (trimmed.StartsWith('['))
            {
                if (!trimmed.EndsWith(']') || trimmed.Length < 3)
                    throw new InputException(path, number, 1, $"a section header must look like [name], not '{trimmed}'");
                section = trimmed[1..^1];
            }
            else
            {
                var colon = trimmed.IndexOf(':');
                if (colon <= 0)
                    throw new InputException(path, number, 1, $"expected 'key: value', got '{Shorten(trimmed)}'");
                key = trimmed[..colon].Trim();
                if (!key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                    throw new InputException(path, number, 1, $"'{Shorten(key)}' is not a qemu-server config key");
                value = trimmed[(colon + 1)..].Trim();
            }
            lines.Add(new ProxmoxLine(number, offset, content.Length, content, trimmed.StartsWith('[') ? trimmed[1..^1] : section, key, value)
            {
                EndWithNewline = next,
            });
            offset = next;
        }
        return new ProxmoxConfig(path, text, lines);
    }

    private static string Shorten(string s) => s.Length > 40 ? s[..40] + "..." : s;
}
