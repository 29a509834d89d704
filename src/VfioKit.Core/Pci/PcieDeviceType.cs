namespace VfioKit.Pci;

/// <summary>The Device/Port Type field of the PCI Express Capabilities register (PCIe base spec 7.5.3.2).
/// Reserved values (0x2, 0x3, 0xb..0xf) are kept as they are and read "Unknown type N".</summary>
public enum PcieDeviceType
{
    Endpoint = 0x0,
    LegacyEndpoint = 0x1,
    RootComplexIntegratedEndpoint = 0x9,
    RootComplexEventCollector = 0xa,
    RootPort = 0x4,
    UpstreamPort = 0x5,
    DownstreamPort = 0x6,
    PcieToPciBridge = 0x7,
    PciToPcieBridge = 0x8,
}

/// <summary>What each device/port type means for the rest of the config space.</summary>
public static class PcieDeviceTypeFacts
{
    extension(PcieDeviceType type)
    {
        /// <summary>lspci's words for the type, without the "(Slot+)" suffix: "Root Port",
        /// "Root Complex Integrated Endpoint", "PCI-Express to PCI/PCI-X Bridge", "Unknown type 3".</summary>
        public string LspciName => type switch
        {
            PcieDeviceType.Endpoint => "Endpoint",
            PcieDeviceType.LegacyEndpoint => "Legacy Endpoint",
            PcieDeviceType.RootPort => "Root Port",
            PcieDeviceType.UpstreamPort => "Upstream Port",
            PcieDeviceType.DownstreamPort => "Downstream Port",
            PcieDeviceType.PcieToPciBridge => "PCI-Express to PCI/PCI-X Bridge",
            PcieDeviceType.PciToPcieBridge => "PCI/PCI-X to PCI-Express Bridge",
            PcieDeviceType.RootComplexIntegratedEndpoint => "Root Complex Integrated Endpoint",
            PcieDeviceType.RootComplexEventCollector => "Root Complex Event Collector",
            _ => "Unknown type " + ((int)type).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        /// <summary>True for the types the spec defines.</summary>
        public bool IsDefinedType => (int)type is >= 0 and <= 1 or >= 4 and <= 0xa;

        /// <summary>Integrated endpoints and event collectors sit inside the root complex and have no link
        /// registers (lspci prints no LnkCap for them).</summary>
        public bool HasLink => type is not (PcieDeviceType.RootComplexIntegratedEndpoint or PcieDeviceType.RootComplexEventCollector);

        /// <summary>Only these types may implement a slot (the Slot Implemented bit is reserved elsewhere).</summary>
        public bool CanHaveSlot => type is PcieDeviceType.RootPort or PcieDeviceType.DownstreamPort or PcieDeviceType.PciToPcieBridge;

        /// <summary>Ports that lead down to other devices: root ports, switch downstream ports, PCI-to-PCIe bridges.</summary>
        public bool IsDownstreamFacing => type is PcieDeviceType.RootPort or PcieDeviceType.DownstreamPort or PcieDeviceType.PciToPcieBridge;
    }
}
