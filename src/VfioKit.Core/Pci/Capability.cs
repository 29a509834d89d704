using System.Globalization;

namespace VfioKit.Pci;

/// <summary>One entry of the standard capability list: where it is and what it is.</summary>
/// <param name="Offset">Config-space offset of the entry, 0x40..0xfc.</param>
/// <param name="Id">The capability ID; values outside <see cref="CapabilityId"/>'s names are unknown IDs.</param>
public sealed record Capability(int Offset, CapabilityId Id)
{
    /// <summary>The name lspci prints at the start of its "Capabilities: [xx]" line, e.g. "Express", "MSI-X".</summary>
    public string Name => NameOf(Id);

    public bool IsKnown => Known(Id);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"[{Offset:x2}] {Name}");

    /// <summary>lspci's name for a capability ID (pciutils ls-caps.c); unknown IDs read
    /// "Capability ID 0x15" as lspci prints them.</summary>
    public static string NameOf(CapabilityId id) => id switch
    {
        CapabilityId.Null => "Null",
        CapabilityId.PowerManagement => "Power Management",
        CapabilityId.Agp => "AGP",
        CapabilityId.VitalProductData => "Vital Product Data",
        CapabilityId.SlotId => "Slot ID",
        CapabilityId.Msi => "MSI",
        CapabilityId.CompactPciHotSwap => "CompactPCI hot-swap",
        CapabilityId.PciX => "PCI-X",
        CapabilityId.HyperTransport => "HyperTransport",
        CapabilityId.VendorSpecific => "Vendor Specific Information",
        CapabilityId.DebugPort => "Debug port",
        CapabilityId.CompactPciCentralResourceControl => "CompactPCI central resource control",
        CapabilityId.HotPlug => "Hot-plug capable",
        CapabilityId.BridgeSubsystemId => "Subsystem",
        CapabilityId.Agp3 => "AGP3",
        CapabilityId.Secure => "Secure device",
        CapabilityId.Express => "Express",
        CapabilityId.MsiX => "MSI-X",
        CapabilityId.SataHba => "SATA HBA",
        CapabilityId.AdvancedFeatures => "PCI Advanced Features",
        CapabilityId.EnhancedAllocation => "Enhanced Allocation (EA)",
        _ => string.Create(CultureInfo.InvariantCulture, $"Capability ID 0x{(byte)id:x}"),
    };

    private static bool Known(CapabilityId id) => (byte)id <= (byte)CapabilityId.EnhancedAllocation;
}
