using VfioKit.Pci;
using VfioKit.Vm;

namespace VfioKit.Generation;

/// <summary>
/// A complete passthrough VM, format-neutral: the PCI topology (machine, expanders, root ports with the host link,
/// every passed function at its host function number), the guest NUMA cells with the planner's pinning, firmware,
/// Looking Glass, disk and network. The libvirt, QEMU and Proxmox generators only render it.
/// </summary>
/// <param name="SafeName">The name reduced to [A-Za-z0-9._-] for file names (NVRAM, QMP socket, disk).</param>
/// <param name="PortLink">The link every root port advertises: the fastest and widest host link of the passed devices.</param>
/// <param name="NicPortId">The root port of the virtio NIC.</param>
/// <param name="LookingGlassSlot">The slot of ivshmem-plain on pcie.0.</param>
/// <param name="Notes">What the user must know or do (hugepages to reserve, firmware not found, forced choices).</param>
public sealed record VmBlueprint(
    VmRequest Request,
    VmTopology Topology,
    IReadOnlyList<PassedSlot> Passed,
    IReadOnlyList<GuestCell> Cells,
    PciLink? PortLink,
    OvmfFirmware? Firmware,
    LookingGlassMemory? LookingGlass,
    int LookingGlassSlot,
    VmDisk? Disk,
    string NicPortId,
    string SafeName,
    IReadOnlyList<string> Notes)
{
    public string Name => Request.Name;
    public Machine Machine => Topology.Machine;
    public int Vcpus => Cells.Sum(c => c.Vcpus);
    public long MemoryBytes => Cells.Sum(c => c.MemoryBytes);
    public bool Windows => Request.Os == GuestOs.Windows;
    public bool Nvidia => Passed.Any(p => p.IsGpu && p.IsNvidia);
    public bool Amd => Cells[0].Plan.Vendor == Host.Cpu.CpuVendor.Amd;
    public long PageSizeKiB => Cells[0].Plan.Memory.PageSizeKiB;
    public Planning.GuestTopology GuestTopology => Cells[0].Plan.GuestTopology with { Sockets = Cells.Count };
}
