namespace VfioKit.Formats.Proxmox;

/// <summary>
/// A Proxmox VE qemu-server VM config (/etc/pve/qemu-server/VMID.conf) kept line by line: the parsed
/// entries are views over the original text, so a writer can change one line and keep every other byte.
/// Only the entries before the first `[section]` describe the VM as it runs; snapshots and pending
/// changes are kept but not interpreted.
/// </summary>
public sealed class ProxmoxConfig
{
    public string Path { get; }
    public string Text { get; }
    public IReadOnlyList<ProxmoxLine> Lines { get; }

    internal ProxmoxConfig(string path, string text, IReadOnlyList<ProxmoxLine> lines)
    {
        Path = path;
        Text = text;
        Lines = lines;
    }

    /// <summary>The current configuration's entries (before the first section header).</summary>
    public IEnumerable<ProxmoxLine> Entries => Lines.Where(l => l.IsEntry && l.Section is null);

    public ProxmoxLine? Entry(string key) =>
        Entries.FirstOrDefault(l => string.Equals(l.Key, key, StringComparison.Ordinal));

    public string? Value(string key) => Entry(key)?.Value;

    /// <summary>hostpci0..hostpci15 of the current configuration, in index order.</summary>
    public IReadOnlyList<HostPci> HostPcis =>
        Entries.Select(l => HostPci.TryFrom(l, out var h) ? h : null).OfType<HostPci>().OrderBy(h => h.Index).ToList();

    /// <summary>The machine type: `machine: q35` or `pc-q35-8.1`; Proxmox's default is i440fx ("pc").</summary>
    public ProxmoxMachine Machine => ProxmoxMachine.Parse(Value("machine"));

    /// <summary>True when `bios: ovmf` (UEFI); Proxmox's default is SeaBIOS.</summary>
    public bool IsUefi => string.Equals(Value("bios"), "ovmf", StringComparison.Ordinal);

    /// <summary>The line a new entry goes before: the first section header, or the end of the text.</summary>
    public int EndOfCurrentSection
    {
        get
        {
            var header = Lines.FirstOrDefault(l => l.Section is not null);
            if (header is null) return Text.Length;
            // Proxmox writes a blank line before each section: keep new entries above it.
            var before = Lines.LastOrDefault(l => l.Number < header.Number && l.Section is null);
            return before is { Text.Length: 0 } ? before.Offset : header.Offset;
        }
    }
}
