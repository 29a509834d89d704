using VfioKit.Pci;

namespace VfioKit.GuestView;

/// <summary>
/// What the host says about a function passed through with vfio-pci: its PCIe type and link. Unknown
/// parts are null; the prediction then assumes an Endpoint (what GPUs are) and leaves the link open.
/// </summary>
public sealed record HostFunction(PcieDeviceType? Type, PciLink? Link);
