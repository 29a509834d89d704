namespace VfioKit.Behaviour.Libvirt;

/// <summary>libvirt's PCI controller models (&lt;controller type='pci' model='...'&gt;).</summary>
public enum PciControllerKind
{
    PciRoot,
    PcieRoot,
    PciBridge,
    DmiToPciBridge,
    PcieToPciBridge,
    PcieRootPort,
    PcieSwitchUpstreamPort,
    PcieSwitchDownstreamPort,
    PciExpanderBus,
    PcieExpanderBus,
}

public static class PciControllerKinds
{
    public static bool TryParse(string? model, out PciControllerKind kind)
    {
        kind = model switch
        {
            "pci-root" => PciControllerKind.PciRoot,
            "pcie-root" => PciControllerKind.PcieRoot,
            "pci-bridge" => PciControllerKind.PciBridge,
            "dmi-to-pci-bridge" => PciControllerKind.DmiToPciBridge,
            "pcie-to-pci-bridge" => PciControllerKind.PcieToPciBridge,
            "pcie-root-port" => PciControllerKind.PcieRootPort,
            "pcie-switch-upstream-port" => PciControllerKind.PcieSwitchUpstreamPort,
            "pcie-switch-downstream-port" => PciControllerKind.PcieSwitchDownstreamPort,
            "pci-expander-bus" => PciControllerKind.PciExpanderBus,
            "pcie-expander-bus" => PciControllerKind.PcieExpanderBus,
            _ => (PciControllerKind)(-1),
        };
        return (int)kind >= 0;
    }

    public static string Name(this PciControllerKind kind) => kind switch
    {
        PciControllerKind.PciRoot => "pci-root",
        PciControllerKind.PcieRoot => "pcie-root",
        PciControllerKind.PciBridge => "pci-bridge",
        PciControllerKind.DmiToPciBridge => "dmi-to-pci-bridge",
        PciControllerKind.PcieToPciBridge => "pcie-to-pci-bridge",
        PciControllerKind.PcieRootPort => "pcie-root-port",
        PciControllerKind.PcieSwitchUpstreamPort => "pcie-switch-upstream-port",
        PciControllerKind.PcieSwitchDownstreamPort => "pcie-switch-downstream-port",
        PciControllerKind.PciExpanderBus => "pci-expander-bus",
        PciControllerKind.PcieExpanderBus => "pcie-expander-bus",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The QEMU device libvirt 9.0 uses when &lt;model name&gt; is absent (qemuDomainPCIControllerSetDefaultModelName).</summary>
    public static string? DefaultQemuDevice(this PciControllerKind kind) => kind switch
    {
        PciControllerKind.PciBridge => "pci-bridge",
        PciControllerKind.DmiToPciBridge => "i82801b11-bridge",
        PciControllerKind.PcieToPciBridge => "pcie-pci-bridge",
        PciControllerKind.PcieRootPort => "pcie-root-port",
        PciControllerKind.PcieSwitchUpstreamPort => "x3130-upstream",
        PciControllerKind.PcieSwitchDownstreamPort => "xio3130-downstream",
        PciControllerKind.PciExpanderBus => "pxb",
        PciControllerKind.PcieExpanderBus => "pxb-pcie",
        _ => null,
    };

    /// <summary>What the controller itself plugs into (virDomainPCIControllerModelToConnectType).</summary>
    public static PciConnect ConnectType(this PciControllerKind kind) => kind switch
    {
        PciControllerKind.PciBridge => PciConnect.PciBridge,
        PciControllerKind.PciExpanderBus => PciConnect.PciExpanderBus,
        PciControllerKind.PcieExpanderBus => PciConnect.PcieExpanderBus,
        PciControllerKind.DmiToPciBridge => PciConnect.DmiToPciBridge,
        PciControllerKind.PcieToPciBridge => PciConnect.PcieToPciBridge,
        PciControllerKind.PcieRootPort => PciConnect.PcieRootPort | PciConnect.AggregateSlot,
        PciControllerKind.PcieSwitchUpstreamPort => PciConnect.PcieSwitchUpstreamPort,
        PciControllerKind.PcieSwitchDownstreamPort => PciConnect.PcieSwitchDownstreamPort,
        _ => PciConnect.None,
    };
}
