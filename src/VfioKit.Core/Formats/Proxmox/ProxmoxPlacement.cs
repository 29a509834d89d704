using VfioKit.Vm;

namespace VfioKit.Formats.Proxmox;

/// <summary>
/// Where qemu-server puts things (PVE/QemuServer/PCI.pm, pve-q35*.cfg): the four root ports
/// ich9-pcie-port-1..4 at 1c.0-1c.3 (ioh3420 on machine types before 4.0, pcie-root-port x-speed=16
/// x-width=32 from 4.0 on), ports 5-16 added on demand at 10.0-11.3, the DMI-to-PCI bridge at 1e.0 with
/// pci-bridges pci.0-pci.3 behind it, and the conventional slot of each hostpciN without pcie=1.
/// </summary>
public static class ProxmoxPlacement
{
    /// <summary>hostpciN without pcie=1: (bridge bus index, slot) from PCI.pm's address map.</summary>
    public static (int Bus, int Slot) ConventionalSlot(int index) => index switch
    {
        0 => (0, 16),
        1 => (0, 17),
        2 => (0, 27),
        3 => (0, 28),
        _ => (2, 13 + (index - 4)),
    };

    /// <summary>hostpciN with pcie=1 on a Windows 7 guest (ostype win7): qemu-server puts it on pcie.0 itself
    /// ("win7 is picky about pcie assignments"), at this slot.</summary>
    public static int Win7RootBusSlot(int index) => index switch
    {
        < 4 => 16 + index,
        < 11 => 9 + (index - 4),
        _ => 21 + (index - 11),
    };

    /// <summary>The address of the root port for hostpciN with N &gt; 3 (PCI.pm print_pcie_root_port).</summary>
    public static GuestAddress ExtraRootPortAddress(int index) =>
        index < 12 ? new GuestAddress(0x10, index - 4) : new GuestAddress(0x11, index - 12);

    /// <summary>The four root ports and the conventional bridges of Proxmox's q35 config file.</summary>
    public static IEnumerable<VmDevice> Q35Controllers(bool before4)
    {
        for (var i = 1; i <= 4; i++)
        {
            yield return new VmDevice
            {
                Driver = before4 ? "ioh3420" : "pcie-root-port",
                Id = $"ich9-pcie-port-{i}",
                Bus = "pcie.0",
                Address = new GuestAddress(0x1c, i - 1),
                Multifunction = true,
                Port = before4
                    ? new PortSettings(Chassis: i, Port: i)
                    : new PortSettings(Chassis: i, Port: i, Speed: Pci.LinkSpeed.Gen4, Width: 32),
            };
        }
        yield return new VmDevice { Driver = "i82801b11-bridge", Id = "pcidmi", Bus = "pcie.0", Address = new GuestAddress(0x1e, 0) };
        for (var i = 0; i <= (before4 ? 2 : 3); i++)
            yield return new VmDevice
            {
                Driver = "pci-bridge", Id = $"pci.{i}", Bus = "pcidmi", Address = new GuestAddress(i + 1, 0),
                Bridge = new BridgeSettings(ChassisNr: i + 1),
            };
    }
}
