using System.Globalization;

namespace VfioKit.Pci;

/// <summary>One entry of the PCI Express extended capability list (config space 0x100..0xfff).</summary>
/// <param name="Offset">Config-space offset of the entry header.</param>
/// <param name="Id">The capability ID; values outside <see cref="ExtendedCapabilityId"/>'s names are unknown IDs.</param>
/// <param name="Version">The capability version, bits 19:16 of the header.</param>
public sealed record ExtendedCapability(int Offset, ExtendedCapabilityId Id, int Version)
{
    /// <summary>The name lspci prints after "Capabilities: [100 v1]", e.g. "Advanced Error Reporting",
    /// "Single Root I/O Virtualization (SR-IOV)".</summary>
    public string Name => NameOf(Id);

    /// <summary>True when lspci names this ID (the spec's Alternate Protocol, SFI and Flit Performance
    /// Measurement have enum names here but lspci prints them as unknown IDs, so they are unknown).</summary>
    public bool IsKnown => !Name.StartsWith("Extended Capability ID", StringComparison.Ordinal);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"[{Offset:x3} v{Version}] {Name}");

    /// <summary>lspci's name for an extended capability ID (pciutils ls-ecaps.c, 3.9 to 3.14); unknown
    /// IDs read "Extended Capability ID 0x2c" as lspci prints them, and so do the IDs lspci does not name.</summary>
    public static string NameOf(ExtendedCapabilityId id) => id switch
    {
        ExtendedCapabilityId.Null => "Null",
        ExtendedCapabilityId.AdvancedErrorReporting => "Advanced Error Reporting",
        ExtendedCapabilityId.VirtualChannel or ExtendedCapabilityId.VirtualChannel2 => "Virtual Channel",
        ExtendedCapabilityId.DeviceSerialNumber => "Device Serial Number",
        ExtendedCapabilityId.PowerBudgeting => "Power Budgeting",
        ExtendedCapabilityId.RootComplexLink => "Root Complex Link",
        ExtendedCapabilityId.RootComplexInternalLink => "Root Complex Internal Link",
        ExtendedCapabilityId.RootComplexEventCollector => "Root Complex Event Collector Endpoint Association",
        ExtendedCapabilityId.MultiFunctionVirtualChannel => "Multi-Function Virtual Channel",
        ExtendedCapabilityId.RootComplexRegisterBlock => "Root Complex Register Block",
        ExtendedCapabilityId.VendorSpecific => "Vendor Specific Information",
        ExtendedCapabilityId.AccessControlServices => "Access Control Services",
        ExtendedCapabilityId.AlternativeRoutingId => "Alternative Routing-ID Interpretation (ARI)",
        ExtendedCapabilityId.AddressTranslationService => "Address Translation Service (ATS)",
        ExtendedCapabilityId.SingleRootIoVirtualization => "Single Root I/O Virtualization (SR-IOV)",
        ExtendedCapabilityId.MultiRootIoVirtualization => "Multi-Root I/O Virtualization",
        ExtendedCapabilityId.Multicast => "Multicast",
        ExtendedCapabilityId.PageRequestInterface => "Page Request Interface (PRI)",
        ExtendedCapabilityId.ResizableBar => "Physical Resizable BAR",
        ExtendedCapabilityId.DynamicPowerAllocation => "Dynamic Power Allocation",
        ExtendedCapabilityId.TransactionProcessingHints => "Transaction Processing Hints",
        ExtendedCapabilityId.LatencyToleranceReporting => "Latency Tolerance Reporting",
        ExtendedCapabilityId.SecondaryPciExpress => "Secondary PCI Express",
        ExtendedCapabilityId.ProtocolMultiplexing => "Protocol Multiplexing",
        ExtendedCapabilityId.ProcessAddressSpaceId => "Process Address Space ID (PASID)",
        ExtendedCapabilityId.LnRequester => "LN Requester",
        ExtendedCapabilityId.DownstreamPortContainment => "Downstream Port Containment",
        ExtendedCapabilityId.L1PmSubstates => "L1 PM Substates",
        ExtendedCapabilityId.PrecisionTimeMeasurement => "Precision Time Measurement",
        ExtendedCapabilityId.PciExpressOverMPhy => "PCI Express over M_PHY",
        ExtendedCapabilityId.FrsQueueing => "FRS Queueing",
        ExtendedCapabilityId.ReadinessTimeReporting => "Readiness Time Reporting",
        ExtendedCapabilityId.DesignatedVendorSpecific => "Designated Vendor-Specific",
        ExtendedCapabilityId.VfResizableBar => "Virtual Resizable BAR",
        ExtendedCapabilityId.DataLinkFeature => "Data Link Feature",
        ExtendedCapabilityId.PhysicalLayer16GTs => "Physical Layer 16.0 GT/s",
        ExtendedCapabilityId.LaneMarginingAtReceiver => "Lane Margining at the Receiver",
        ExtendedCapabilityId.HierarchyId => "Hierarchy ID",
        ExtendedCapabilityId.NativePcieEnclosureManagement => "Native PCIe Enclosure Management",
        ExtendedCapabilityId.PhysicalLayer32GTs => "Physical Layer 32.0 GT/s",
        ExtendedCapabilityId.DataObjectExchange => "Data Object Exchange",
        ExtendedCapabilityId.Device3 => "Device 3",
        ExtendedCapabilityId.IntegrityAndDataEncryption => "Integrity & Data Encryption",
        ExtendedCapabilityId.PhysicalLayer64GTs => "Physical Layer 64.0 GT/s",
        ExtendedCapabilityId.FlitLogging => "Flit Logging",
        ExtendedCapabilityId.FlitErrorInjection => "Flit Error Injection",
        ExtendedCapabilityId.MmioRegisterBlockLocator => "MMIO Register Block Locator",
        _ => string.Create(CultureInfo.InvariantCulture, $"Extended Capability ID 0x{(ushort)id:x}"),
    };
}
