using VfioKit.Fixing;
using VfioKit.Formats;
using VfioKit.GuestView;
using VfioKit.Vm;

namespace VfioKit.Rules;

/// <summary>VK102: a PCIe device on q35's root bus, which the guest sees as a Root Complex Integrated Endpoint with no link.</summary>
public sealed class Vk102PcieDeviceOnRootBus : IRule
{
    public static RuleDescriptor Rule { get; } = new(
        RuleIds.PcieDeviceOnRootBus, Severity.Warning,
        "PCIe device directly on the root bus pcie.0",
        "on pcie.0 the guest sees a Root Complex Integrated Endpoint with no PCIe link; users measured ~2000 us vs ~200 us latency behind a root port",
        ConfigFormats.All, Repairs: [typeof(LeaveRootBus), typeof(GatherFunctions)]);

    public RuleDescriptor Descriptor => Rule;

    public IReadOnlyList<RuleExample> Examples { get; } = [
        new(ConfigFormat.Qemu,
            Bad: """
            qemu-system-x86_64 -M q35 \
              -device vfio-pci,host=0000:0b:00.0,bus=pcie.0,addr=0x5
            """,
            Good: """
            qemu-system-x86_64 -M q35 \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 \
              -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0
            """),
        new(ConfigFormat.Proxmox,
            Bad: """
            bios: ovmf
            cpu: host
            hostpci0: 0000:0b:00,pcie=1
            machine: q35
            ostype: win7
            """,
            Good: """
            bios: ovmf
            cpu: host
            hostpci0: 0000:0b:00,pcie=1
            machine: q35
            ostype: win10
            """),
        new(ConfigFormat.Libvirt,
            Bad: ExampleDomain.Q35($"""
                {ExampleDomain.PcieRoot}
                {ExampleDomain.Hostdev("0b:00.0", at: "00:05.0")}
                """),
            Good: ExampleDomain.Gpu),
    ];

    public IEnumerable<Finding> Check(LintContext c)
    {
        foreach (var g in c.View.Devices)
        {
            var d = g.Device;
            if (d.IsImplicit || g.Sees != GuestDeviceKind.RootComplexIntegratedEndpoint) continue;
            var what = d.IsPassthrough ? $"{d.Name} ({d.Passthrough!.Host})" : $"{d.Name} ({d.Driver})";
            yield return c.Report(Rule,
                $"{what} is on the root bus {g.Device.Placement?.Bus}: the guest sees a Root Complex Integrated Endpoint with no link; put it behind a root port",
                d, PortPlan.For(c.Topology, d, f => new LeaveRootBus(f)), d.IsPassthrough ? Severity.Warning : Severity.Info);
        }
    }
}
