using VfioKit.Pci;
using VfioKit.Vm;

namespace VfioKit.Fixing;

/// <summary>
/// A repair a rule asks for, as data in the domain's words and in no format's syntax. A finding carries
/// its intent; each format's repairer (<see cref="IRepairer"/>) turns the intents it declares into text
/// edits, so what `rules`, `lint` and `fix` say is fixable follows from the repairers, not from the rules.
/// </summary>
public abstract record RepairIntent
{
    /// <summary>True when every repairer carries this intent out by rewriting only its own device's words (or
    /// element) with values the intent itself holds: such repairs of one lint do not change each other's edits,
    /// and the lint-then-fix loop may apply several at once. A repair that picks ids, chassis numbers or places
    /// from the rest of the text is not, nor one that some format carries out by changing the machine
    /// (AdvertiseLink: Proxmox and old libvirt machine types).</summary>
    public virtual bool Independent => false;
}

/// <summary>i440fx to q35 (unsafe: Windows re-detects its hardware).</summary>
public sealed record UseQ35Machine : RepairIntent;

/// <summary>One new root port holding exactly these functions, each at the given function number of the
/// port's slot 0. The rule plans the whole slot at once (all functions of one host device, wherever they
/// were), so no later repair leaves the port empty. Two kinds, because a format may carry one and not the
/// other (Proxmox: pcie=1 takes a device off the conventional bus, but qemu-server itself puts a pcie=1
/// device of a win7 guest on the root bus).</summary>
public abstract record MoveBehindNewRootPort(IReadOnlyList<PlannedFunction> Functions) : RepairIntent;

/// <summary>A PCIe device off the root bus pcie.0, behind a new root port.</summary>
public sealed record LeaveRootBus(IReadOnlyList<PlannedFunction> Functions) : MoveBehindNewRootPort(Functions);

/// <summary>A device off a conventional PCI bus, behind a new root port.</summary>
public sealed record LeaveConventionalBus(IReadOnlyList<PlannedFunction> Functions) : MoveBehindNewRootPort(Functions);

/// <summary>A function and the function number it gets in its new slot.</summary>
public sealed record PlannedFunction(VmDevice Device, int Function);

/// <summary>The functions of one host device in the slot of function 0, guest function = host function,
/// multifunction=on at function 0.</summary>
public sealed record GatherFunctions(VmDevice Function0, IReadOnlyList<VmDevice> Others) : RepairIntent;

/// <summary>multifunction=on or off on a device.</summary>
public sealed record SetMultifunction(VmDevice Device, bool On) : RepairIntent;

/// <summary>A port that advertises at least the host's link (<paramref name="HostLink"/>: exactly that), or,
/// when the host's link is unknown, the full link of a generic root port (16GT/s x32).</summary>
public sealed record AdvertiseLink(VmDevice Port, PciLink? HostLink) : RepairIntent;

/// <summary>A new chassis number for a port.</summary>
public sealed record SetChassis(VmDevice Port, int Chassis) : RepairIntent;

/// <summary>Drops x-vga=on.</summary>
public sealed record RemoveXVga(VmDevice Device) : RepairIntent
{
    public override bool Independent => true;
}

/// <summary>Drops io-reserve=0 from a port.</summary>
public sealed record RemoveIoReserve(VmDevice Port) : RepairIntent
{
    public override bool Independent => true;
}

/// <summary>Adds the named Hyper-V enlightenments.</summary>
public sealed record AddHyperV(IReadOnlyList<string> Missing) : RepairIntent;

/// <summary>CPU model host-passthrough, its flags kept.</summary>
public sealed record UseHostCpu : RepairIntent;

/// <summary>Adds a CPU feature such as topoext.</summary>
public sealed record AddCpuFeature(string Feature) : RepairIntent;

/// <summary>Resizes a shared memory region.</summary>
public sealed record SetSharedMemorySize(SharedMemory Memory, long Bytes) : RepairIntent;

/// <summary>The in-kernel IOAPIC (kernel-irqchip=on, libvirt's ioapic driver kvm).</summary>
public sealed record UseKernelIrqchip : RepairIntent;
