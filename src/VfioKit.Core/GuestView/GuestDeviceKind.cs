namespace VfioKit.GuestView;

/// <summary>What the guest's PCI enumeration reports a device as (its PCI Express Device/Port Type, or plain PCI).</summary>
public enum GuestDeviceKind
{
    /// <summary>A PCI Express Endpoint with a link: what a GPU should be.</summary>
    Endpoint,
    /// <summary>Root Complex Integrated Endpoint: PCIe without a link (a device on pcie.0).</summary>
    RootComplexIntegratedEndpoint,
    /// <summary>PCI Express Legacy Endpoint.</summary>
    LegacyEndpoint,
    /// <summary>No PCI Express capability at all.</summary>
    ConventionalPci,
    RootPort,
    UpstreamPort,
    DownstreamPort,
    /// <summary>PCI Express to PCI bridge (pcie-pci-bridge).</summary>
    PcieToPciBridge,
    /// <summary>A conventional PCI-to-PCI bridge (pci-bridge, i82801b11-bridge).</summary>
    PciBridge,
    /// <summary>A host bridge (q35's mch, i440FX, a pxb-pcie's own function).</summary>
    HostBridge,
    /// <summary>Configured, but the guest does not enumerate it (no function 0, slot other than 0 behind a port, QEMU error).</summary>
    NotVisible,
}
