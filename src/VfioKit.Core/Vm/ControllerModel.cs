namespace VfioKit.Vm;

/// <summary>The QEMU devices that provide a PCI or PCI Express bus for other devices.</summary>
public enum ControllerModel
{
    /// <summary>pcie-root-port: QEMU's generic root port (LnkCap from x-speed/x-width).</summary>
    PcieRootPort,
    /// <summary>ioh3420: the Intel root port model (always 2.5GT/s x1).</summary>
    Ioh3420,
    /// <summary>x3130-upstream: a switch's upstream port; its bus holds downstream ports.</summary>
    SwitchUpstream,
    /// <summary>xio3130-downstream: a switch's downstream port.</summary>
    SwitchDownstream,
    /// <summary>pcie-pci-bridge: a PCIe-to-PCI bridge with a conventional PCI bus behind it.</summary>
    PciePciBridge,
    /// <summary>pci-bridge: a PCI-to-PCI bridge (conventional).</summary>
    PciBridge,
    /// <summary>i82801b11-bridge: the DMI-to-PCI bridge (conventional).</summary>
    DmiPciBridge,
    /// <summary>pxb-pcie: an extra PCIe root bus with its own bus number and NUMA node.</summary>
    PcieExpander,
    /// <summary>pxb: an extra conventional root bus (i440fx).</summary>
    PciExpander,
}

public static class ControllerModels
{
    /// <summary>The QEMU driver name of a controller model.</summary>
    public static string Driver(this ControllerModel model) => model switch
    {
        ControllerModel.PcieRootPort => "pcie-root-port",
        ControllerModel.Ioh3420 => "ioh3420",
        ControllerModel.SwitchUpstream => "x3130-upstream",
        ControllerModel.SwitchDownstream => "xio3130-downstream",
        ControllerModel.PciePciBridge => "pcie-pci-bridge",
        ControllerModel.PciBridge => "pci-bridge",
        ControllerModel.DmiPciBridge => "i82801b11-bridge",
        ControllerModel.PcieExpander => "pxb-pcie",
        ControllerModel.PciExpander => "pxb",
        _ => throw new ArgumentOutOfRangeException(nameof(model)),
    };

    public static bool TryFromDriver(string driver, out ControllerModel model)
    {
        model = driver switch
        {
            "pcie-root-port" => ControllerModel.PcieRootPort,
            "ioh3420" => ControllerModel.Ioh3420,
            "x3130-upstream" => ControllerModel.SwitchUpstream,
            "xio3130-downstream" => ControllerModel.SwitchDownstream,
            "pcie-pci-bridge" => ControllerModel.PciePciBridge,
            "pci-bridge" => ControllerModel.PciBridge,
            "i82801b11-bridge" => ControllerModel.DmiPciBridge,
            "pxb-pcie" => ControllerModel.PcieExpander,
            "pxb" => ControllerModel.PciExpander,
            _ => (ControllerModel)(-1),
        };
        return (int)model >= 0;
    }

    /// <summary>Root ports and switch downstream ports: a PCIe link with exactly one slot (0) behind it.</summary>
    public static bool IsPort(this ControllerModel model) =>
        model is ControllerModel.PcieRootPort or ControllerModel.Ioh3420 or ControllerModel.SwitchDownstream;

    public static bool IsRootPort(this ControllerModel model) =>
        model is ControllerModel.PcieRootPort or ControllerModel.Ioh3420;

    public static bool IsExpander(this ControllerModel model) =>
        model is ControllerModel.PcieExpander or ControllerModel.PciExpander;

    /// <summary>The kind of bus the controller provides to the devices behind it.</summary>
    public static BusKind SecondaryBus(this ControllerModel model) => model switch
    {
        ControllerModel.PcieRootPort or ControllerModel.Ioh3420 or ControllerModel.SwitchDownstream => BusKind.PcieSlot,
        ControllerModel.SwitchUpstream => BusKind.PcieSwitch,
        ControllerModel.PcieExpander => BusKind.PcieRoot,
        ControllerModel.PciExpander => BusKind.PciRoot,
        _ => BusKind.Conventional,
    };
}
