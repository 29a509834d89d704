using VfioKit.Edits;

namespace VfioKit.Formats.Proxmox;

/// <summary>
/// Line-preserving edits of a qemu-server config: set, add or remove one `key: value` line of the
/// current configuration. Every other line, snapshots and comments included, stays byte-identical.
/// </summary>
public static class ProxmoxConfigEditor
{
    /// <summary>Replaces the value of an existing entry, or adds the entry at the end of the current section.</summary>
    public static TextEdit Set(ProxmoxConfig config, string key, string value)
    {
        if (config.Entry(key) is { } line) return Replace(line, key, value);
        return Add(config, key, value);
    }

    public static TextEdit Replace(ProxmoxLine line, string key, string value) =>
        new(line.Offset, line.Length, $"{key}: {value}");

    public static TextEdit Add(ProxmoxConfig config, string key, string value)
    {
        var at = config.EndOfCurrentSection;
        // A file that does not end in a newline gets one before the new line.
        var lead = at > 0 && at == config.Text.Length && config.Text[^1] != '\n' ? "\n" : "";
        return TextEdit.Insert(at, $"{lead}{key}: {value}\n");
    }

    public static TextEdit Remove(ProxmoxLine line) => new(line.Offset, line.EndWithNewline - line.Offset, "");

    /// <summary>Rewrites a comma-separated option list with one option set (or removed when value is null),
    /// keeping the order of the others.</summary>
    public static string WithOption(string list, string option, string? value)
    {
        var parts = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var i = parts.FindIndex(p => p == option || p.StartsWith(option + "=", StringComparison.Ordinal));
        if (value is null)
        {
            if (i >= 0) parts.RemoveAt(i);
        }
        else if (i >= 0) parts[i] = $"{option}={value}";
        else parts.Add($"{option}={value}");
        return string.Join(',', parts);
    }
}
