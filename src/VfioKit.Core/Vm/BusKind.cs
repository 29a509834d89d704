namespace VfioKit.Vm;

/// <summary>What a bus is, which decides what may be plugged where and what its devices look like to the guest.</summary>
public enum BusKind
{
    /// <summary>A PCI Express root bus: q35's pcie.0 or a pxb-pcie bus. Endpoints here are root-complex integrated.</summary>
    PcieRoot,
    /// <summary>A conventional PCI root bus: i440fx's pci.0 or a pxb bus.</summary>
    PciRoot,
    /// <summary>The link below a root port or switch downstream port: one device, slot 0 only.</summary>
    PcieSlot,
    /// <summary>The internal bus of a switch (below x3130-upstream): downstream ports only.</summary>
    PcieSwitch,
    /// <summary>A conventional PCI bus behind a bridge (pci-bridge, pcie-pci-bridge, i82801b11-bridge).</summary>
    Conventional,
}

public static class BusKinds
{
    public static bool IsExpress(this BusKind kind) => kind is BusKind.PcieRoot or BusKind.PcieSlot or BusKind.PcieSwitch;
    public static bool IsRoot(this BusKind kind) => kind is BusKind.PcieRoot or BusKind.PciRoot;
}
