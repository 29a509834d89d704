namespace VfioKit.Behaviour.Libvirt;

/// <summary>
/// What a device can plug into and what a bus accepts, as libvirt models it
/// (src/conf/domain_addr.h virDomainPCIConnectFlags). A device fits a bus when they share a type bit.
/// </summary>
[Flags]
public enum PciConnect
{
    None = 0,
    Hotpluggable = 1 << 0,
    PciDevice = 1 << 1,
    PcieDevice = 1 << 2,
    PcieRootPort = 1 << 3,
    PcieSwitchUpstreamPort = 1 << 4,
    PcieSwitchDownstreamPort = 1 << 5,
    DmiToPciBridge = 1 << 6,
    PcieExpanderBus = 1 << 7,
    PciExpanderBus = 1 << 8,
    PcieToPciBridge = 1 << 9,
    PciBridge = 1 << 10,
    /// <summary>The bus may be chosen automatically / the device may be placed automatically.</summary>
    AutoAssign = 1 << 11,
    /// <summary>Only on bus 0 (pvpanic, virtio-iommu).</summary>
    Integrated = 1 << 12,
    /// <summary>Several of these may share one slot as functions (pcie-root-ports on pcie-root).</summary>
    AggregateSlot = 1 << 13,

    Types = PciDevice | PcieDevice | PcieRootPort | PcieSwitchUpstreamPort | PcieSwitchDownstreamPort |
            DmiToPciBridge | PcieExpanderBus | PciExpanderBus | PcieToPciBridge | PciBridge,
    Endpoint = PciDevice | PcieDevice,
}
