using VfioKit.Fixing;
using VfioKit.Formats;
using VfioKit.GuestView;
using VfioKit.Vm;

namespace VfioKit.Rules;

/// <summary>VK106: a passed-through function on a conventional PCI bus of q35: QEMU hides its PCIe capability.</summary>
public sealed class Vk106VfioOnConventionalBus : IRule
{
    public static RuleDescriptor Rule { get; } = new(
        RuleIds.VfioOnConventionalBus, Severity.Warning,
        "vfio-pci on a conventional PCI bus of a q35 machine",
        "QEMU hides the PCIe capability there: the guest sees plain PCI, no link, no extended config space",
        ConfigFormats.All, Repairs: [typeof(LeaveConventionalBus), typeof(GatherFunctions)]);

    public RuleDescriptor Descriptor => Rule;

    public IReadOnlyList<RuleExample> Examples { get; } = [
        new(ConfigFormat.Proxmox,
            Bad: """
            bios: ovmf
            cpu: host
            hostpci0: 0000:0b:00,x-vga=1
            machine: q35
            """,
            Good: """
            bios: ovmf
            cpu: host
            hostpci0: 0000:0b:00,pcie=1,x-vga=1
            machine: q35
            """),
        new(ConfigFormat.Qemu,
            Bad: """
            qemu-system-x86_64 -M q35 \
              -device pcie-pci-bridge,id=br1,bus=pcie.0 \
              -device vfio-pci,host=0000:0b:00.0,bus=br1,addr=0x1
            """,
            Good: """
            qemu-system-x86_64 -M q35 \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 \
              -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0
            """),
        new(ConfigFormat.Libvirt,
            Bad: ExampleDomain.Q35($"""
                {ExampleDomain.RootPorts(1)}
                <controller type='pci' index='2' model='pcie-to-pci-bridge'>
                  <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
                </controller>
                {ExampleDomain.Hostdev("0b:00.0", at: "02:01.0")}
                """),
            Good: ExampleDomain.Gpu),
    ];

    public IEnumerable<Finding> Check(LintContext c)
    {
        if (c.Topology.Machine.Family != MachineFamily.Q35) yield break;
        foreach (var g in c.View.Devices)
        {
            var d = g.Device;
            if (d.IsImplicit || !d.IsPassthrough || g.Sees != GuestDeviceKind.ConventionalPci) continue;
            yield return c.Report(Rule,
                $"{d.Name} ({d.Passthrough!.Host}) is on the conventional PCI bus {d.Placement?.Bus}: the guest sees no PCI Express; put it behind a root port",
                d, PortPlan.For(c.Topology, d, f => new LeaveConventionalBus(f)));
        }
    }
}
