using VfioKit.Pci;

namespace VfioKit.Vm;

/// <summary>
/// The settings of a root port or switch downstream port (pcie-root-port, ioh3420, xio3130-downstream).
/// Null means "not given": QEMU's default applies (chassis 0, slot 0, port 0, x-speed/x-width per machine version).
/// </summary>
/// <param name="Speed">x-speed (pcie-root-port only), e.g. Gen3 for x-speed=8.</param>
/// <param name="Width">x-width (pcie-root-port only): 1, 2, 4, 8, 12, 16 or 32.</param>
/// <param name="IoReserve">io-reserve as written (e.g. "0" to save I/O space).</param>
public sealed record PortSettings(
    int? Chassis = null,
    int? Slot = null,
    int? Port = null,
    LinkSpeed? Speed = null,
    int? Width = null,
    bool? Hotplug = null,
    string? IoReserve = null)
{
    public static PortSettings None { get; } = new();
}
