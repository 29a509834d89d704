using VfioKit.Pci;

namespace VfioKit.Generation;

/// <summary>One host device given to the VM: its functions (function numbers kept), the root port it sits behind, the
/// host link the port advertises, its host NUMA node and vendor.</summary>
/// <param name="PortId">The root port's id ("pci.N", libvirt's alias for controller index N, so both formats agree).</param>
/// <param name="HostLink">LnkCap of function 0 on the host; null when unknown (64 bytes of config space and no sysfs link).</param>
public sealed record PassedSlot(
    PciSlot Slot,
    IReadOnlyList<PciAddress> Functions,
    string PortId,
    PciLink? HostLink,
    int? HostNode,
    bool IsGpu,
    int? VendorId)
{
    public bool IsNvidia => VendorId == 0x10de;
}
