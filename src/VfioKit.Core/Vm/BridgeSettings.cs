namespace VfioKit.Vm;

/// <summary>A PCI-to-PCI bridge's settings (pci-bridge chassis_nr, shpc, ...); null means QEMU's default.</summary>
public sealed record BridgeSettings(int? ChassisNr = null, bool? Shpc = null);
