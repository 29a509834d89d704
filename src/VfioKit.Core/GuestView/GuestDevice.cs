using VfioKit.Pci;
using VfioKit.Vm;

namespace VfioKit.GuestView;

/// <summary>
/// One device as the guest will see it.
/// </summary>
/// <param name="Path">Bus ids and device ids from the root bus down to this device, e.g. [pcie.0, rp1, gpu].</param>
/// <param name="GuestAddress">The address the guest enumerates it at (bus numbers as the firmware assigns them), or null when not visible.</param>
/// <param name="Link">The device's own link capability as the guest reads it; null when it has none (integrated endpoint, conventional PCI) or it is not known (a host link no one told us).</param>
/// <param name="PortLink">The Link Capabilities of the port above the device (root or downstream port), or null when there is none.</param>
/// <param name="PortLinkStatus">The port's Link Status as the guest reads it (QEMU mirrors function 0's link, clamped to the port's capability).</param>
/// <param name="ExtendedConfigSpace">Whether the guest can read config space above 256 bytes (extended capabilities).</param>
/// <param name="Note">Why, in a few words, when the answer depends on something not in the configuration.</param>
public sealed record GuestDevice(
    VmDevice Device,
    ValueList<string> Path,
    PciAddress? GuestAddress,
    GuestDeviceKind Sees,
    PciLink? Link,
    PciLink? PortLink,
    PciLink? PortLinkStatus,
    bool ExtendedConfigSpace,
    string? Note = null)
{
    public string Name => Device.Name;
}
