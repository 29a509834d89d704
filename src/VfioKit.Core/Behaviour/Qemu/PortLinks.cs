using VfioKit.Pci;
using VfioKit.Vm;

namespace VfioKit.Behaviour.Qemu;

/// <summary>
/// The Link Capabilities QEMU gives its ports, and the Link Status it shows for them.
/// <list type="bullet">
/// <item>pcie-root-port: x-speed/x-width (hw/pci-bridge/gen_pcie_root_port.c, defaults 16 GT/s x32 since QEMU 4.0);
/// machine types up to 3.1 set 2_5/1 through hw_compat_3_1 (hw/core/machine.c). Precedence as in QEMU:
/// the device's own property, then -global, then the machine's compat property, then the class default.</item>
/// <item>ioh3420: no x-speed property; pcie_root_port.c rp_instance_post_init sets 2.5 GT/s x1.</item>
/// <item>xio3130-downstream: a PCIESlot without speed/width, so pcie_cap_fill_slot_lnk writes 0 (the guest reads "Unknown", width 0).</item>
/// <item>x3130-upstream and emulated endpoints: pcie_cap_v1_fill's 2.5 GT/s x1.</item>
/// </list>
/// </summary>
public static class PortLinks
{
    /// <summary>2.5 GT/s x1: pcie_cap_v1_fill's link for every emulated PCIe function.</summary>
    public static readonly PciLink Gen1X1 = new(LinkSpeed.Gen1, 1);

    public static readonly MachineVersion LinkSpeedsIntroduced = new(4, 0);
    public static readonly MachineVersion FastSpeedsIntroduced = new(9, 0);

    public static PciLink Capability(VmDevice port, VmTopology topology, MachineVersion qemu, MachineVersion machine)
    {
        switch (port.Controller)
        {
            case ControllerModel.PcieRootPort:
                if (qemu < LinkSpeedsIntroduced) return PortLinks.Gen1X1;
                var compat = machine < LinkSpeedsIntroduced;
                var speed = port.Port?.Speed ?? GlobalSpeed(topology) ?? (compat ? LinkSpeed.Gen1 : LinkSpeed.Gen4);
                var width = port.Port?.Width ?? GlobalWidth(topology) ?? (compat ? 1 : 32);
                return new PciLink(speed, width);
            case ControllerModel.Ioh3420:
            case ControllerModel.SwitchUpstream:
            case ControllerModel.PciePciBridge:
                return PortLinks.Gen1X1;
            case ControllerModel.SwitchDownstream:
                return new PciLink(LinkSpeed.Unknown, 0);
            default:
                throw new ArgumentException($"{port.Driver} has no PCI Express link", nameof(port));
        }
    }

    /// <summary>
    /// The port's Link Status (hw/pci/pcie.c pcie_sync_bridge_lnk, QEMU 4.0+): the link of the device at
    /// devfn 0 below it, each field clamped to the port's capability; the capability itself when that
    /// device has no PCIe link or the slot is empty; 2.5 GT/s and x1 where a field would be 0.
    /// Null when function 0's link is not known (a passed-through device whose host link was not given).
    /// </summary>
    public static PciLink? Status(PciLink capability, PciLink? function0Link, bool function0HasLink, MachineVersion qemu)
    {
        if (qemu < LinkSpeedsIntroduced) return PortLinks.Gen1X1;
        if (function0HasLink && function0Link is null) return null;
        var status = function0HasLink ? function0Link!.Value : capability;
        var width = Math.Min(status.Width, capability.Width);
        var speed = status.Speed > capability.Speed ? capability.Speed : status.Speed;
        if (width == 0) width = 1;
        if (!speed.IsKnown) speed = LinkSpeed.Gen1;
        return new PciLink(speed, width);
    }

    private static LinkSpeed? GlobalSpeed(VmTopology t) => PortLinkProperties.TrySpeed(t.Global("pcie-root-port", PortLinkProperties.Speed));

    private static int? GlobalWidth(VmTopology t) =>
        PortLinkProperties.TryWidth(t.Global("pcie-root-port", PortLinkProperties.Width));
}
