using VfioKit.Pci;
using VfioKit.Vm;

namespace VfioKit.Fixing;

/// <summary>
/// The repairs rules ask for, in the domain's words; each format turns them into text edits over the
/// original file (so only what a fix names changes). A format that cannot express a repair returns null
/// and the finding stays unfixable there.
/// </summary>
public interface IConfigEditor
{
    /// <summary>i440fx to q35 (VK101; unsafe).</summary>
    Fix? SetMachineQ35() => null;

    /// <summary>Adds a pcie-root-port and moves the functions of one guest slot behind it (VK102, VK106).</summary>
    Fix? MoveBehindNewRootPort(IReadOnlyList<VmDevice> functions) => null;

    /// <summary>Puts the functions of one host device in one guest slot: the slot of <paramref name="function0"/>,
    /// guest function = host function, multifunction=on at function 0 (VK103).</summary>
    Fix? GatherFunctions(VmDevice function0, IReadOnlyList<VmDevice> others) => null;

    /// <summary>multifunction=on or off on a device (VK104, VK105).</summary>
    Fix? SetMultifunction(VmDevice device, bool on) => null;

    /// <summary>A port that advertises the given link: pcie-root-port, x-speed/x-width when given (VK108).</summary>
    Fix? AdvertiseLink(VmDevice port, LinkSpeed? speed, int? width) => null;

    /// <summary>A machine type whose root ports advertise a full link (Proxmox: pve-q35-4.0.cfg) (VK108).</summary>
    Fix? UseNewestQ35() => null;

    /// <summary>A new chassis number for a port (VK109).</summary>
    Fix? SetChassis(VmDevice port, int chassis) => null;

    /// <summary>Drops x-vga=on (VK112).</summary>
    Fix? RemoveXVga(VmDevice device) => null;

    /// <summary>Drops io-reserve=0 from a port (VK113).</summary>
    Fix? RemoveIoReserve(VmDevice port) => null;

    /// <summary>Adds the named Hyper-V enlightenments (VK201).</summary>
    Fix? AddHyperV(IReadOnlyList<string> missing) => null;

    /// <summary>CPU model host-passthrough, its flags kept (VK206).</summary>
    Fix? UseHostCpu() => null;

    /// <summary>Adds a CPU feature such as topoext (VK206).</summary>
    Fix? AddCpuFeature(string feature) => null;

    /// <summary>Resizes a shared memory region (VK205).</summary>
    Fix? SetSharedMemorySize(SharedMemory memory, long bytes) => null;

    /// <summary>The in-kernel IOAPIC: kernel-irqchip=on, libvirt ioapic driver kvm (VK208).</summary>
    Fix? UseKernelIrqchip() => null;
}

/// <summary>An editor that can repair nothing, for formats or tests without one.</summary>
public sealed class NoEditor : IConfigEditor
{
    public static NoEditor Instance { get; } = new();
}
