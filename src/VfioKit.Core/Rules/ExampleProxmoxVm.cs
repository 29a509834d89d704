namespace VfioKit.Rules;

/// <summary>
/// The Proxmox VM config most rule examples share (q35, OVMF, host CPU, hugepages, the GPU 0000:0b:00 on
/// hostpci0): <see cref="ExampleDomain"/>'s counterpart, so an example spells out only the lines it is about.
/// </summary>
internal static class ExampleProxmoxVm
{
    /// <summary>
    /// The config with <paramref name="changes"/>: a key set to its value, or removed where the value is null.
    /// The keys in alphabetical order, as qemu-server writes them.
    /// </summary>
    public static string Gpu(params (string Key, string? Value)[] changes)
    {
        var lines = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["bios"] = "ovmf", ["cores"] = "8", ["cpu"] = "host", ["hostpci0"] = "0000:0b:00,pcie=1", ["hugepages"] = "1024",
            ["machine"] = "q35", ["memory"] = "16384", ["ostype"] = "win11",
        };
        foreach (var (key, value) in changes)
            if (value is null) lines.Remove(key);
            else lines[key] = value;
        return string.Join("\n", lines.Select(l => $"{l.Key}: {l.Value}"));
    }
}
