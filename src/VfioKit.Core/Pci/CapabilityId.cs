namespace VfioKit.Pci;

/// <summary>
/// Capability IDs of the standard capability list (PCI Code and ID Assignment spec, pciutils lib/header.h).
/// Values not named here are kept as they are: an unknown capability still carries its ID.
/// </summary>
public enum CapabilityId : byte
{
    Null = 0x00,
    PowerManagement = 0x01,
    Agp = 0x02,
    VitalProductData = 0x03,
    SlotId = 0x04,
    Msi = 0x05,
    CompactPciHotSwap = 0x06,
    PciX = 0x07,
    HyperTransport = 0x08,
    VendorSpecific = 0x09,
    DebugPort = 0x0a,
    CompactPciCentralResourceControl = 0x0b,
    HotPlug = 0x0c,
    BridgeSubsystemId = 0x0d,
    Agp3 = 0x0e,
    Secure = 0x0f,
    Express = 0x10,
    MsiX = 0x11,
    SataHba = 0x12,
    AdvancedFeatures = 0x13,
    EnhancedAllocation = 0x14,
}
