using System.Collections.Immutable;
using VfioKit.Pci;

namespace VfioKit.Probe;

/// <summary>
/// One PCI function as the probe guest's kernel enumerated it: its address, identity, the sysfs
/// attributes it had (current_link_speed, max_link_width, numa_node, ...) and its config space as root
/// reads it (4096 bytes for PCI Express functions, 256 for conventional ones).
/// </summary>
public sealed record GuestFunction(
    PciAddress Address,
    ushort VendorId,
    ushort DeviceId,
    int ClassCode,
    ImmutableDictionary<string, string> Attributes,
    ImmutableArray<byte> ConfigBytes)
{
    private readonly Lazy<ConfigSpace?> _config = new(() => ConfigSpace.TryParse(ConfigBytes.AsSpan(), out var c) ? c : null);

    /// <summary>The config space decoded; null when fewer than 64 bytes were read.</summary>
    public ConfigSpace? Config => _config.Value;

    public string? Attribute(string name) => Attributes.TryGetValue(name, out var v) ? v : null;

    public override string ToString() => $"{Address} [{VendorId:x4}:{DeviceId:x4}] class {ClassCode:x6}, {ConfigBytes.Length} bytes";
}
