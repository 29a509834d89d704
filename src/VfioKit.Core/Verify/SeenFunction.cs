using VfioKit.Pci;

namespace VfioKit.Verify;

/// <summary>
/// One PCI function as the guest itself reports it (lspci, its sysfs, or Windows' device properties).
/// Unknown facts are null, never guessed.
/// </summary>
/// <param name="ClassCode">Base class, subclass, programming interface (0x030000 VGA), or base and subclass shifted left 8 when only those are known.</param>
/// <param name="ExpressType">The PCI Express device/port type; null when the function has no PCI Express capability (or <paramref name="CapabilitiesRead"/> is false).</param>
/// <param name="CapabilitiesRead">False when the guest could not read the capabilities (lspci without root prints "access denied").</param>
/// <param name="Parent">The bridge or port the function sits behind; null on a root bus or when unknown.</param>
public sealed record SeenFunction(
    PciAddress Address,
    int? ClassCode,
    int? VendorId,
    int? DeviceId,
    PcieDeviceType? ExpressType,
    bool CapabilitiesRead,
    PciLink? LinkCapability,
    PciLink? LinkStatus,
    PciAddress? Parent,
    string? Description = null)
{
    public bool IsDisplay => ClassCode is { } c && c >> 16 == 0x03;

    public bool IsAudio => ClassCode is { } c && c >> 8 == 0x0403;

    public bool IsExpress => ExpressType is not null;
}
