using VfioKit.Pci;

namespace VfioKit.Host;

/// <summary>Where a function's PCI Express facts came from: its config space (decoded), sysfs' link attributes, or libvirt.</summary>
public enum PcieSource
{
    ConfigSpace,
    Sysfs,
    /// <summary>libvirt's node device (its pci-express element: link capability and status, no type or FLR).</summary>
    Libvirt,
}

/// <summary>
/// The PCI Express facts of one host function: port/device type (null when only sysfs' link attributes
/// were readable, e.g. 64 bytes of config space as non-root), the link it can train (LnkCap) and the link
/// it trained (LnkSta), and whether it advertises Function Level Reset (DevCap.FLR).
/// </summary>
public sealed record PcieFacts(
    PcieDeviceType? Type,
    PciLink? LinkCapability,
    PciLink? LinkStatus,
    bool? FunctionLevelReset,
    PcieSource Source);
