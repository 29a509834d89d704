using VfioKit.Fixing;
using VfioKit.Formats;

namespace VfioKit.Rules;

/// <summary>VK103: functions of one host device in different guest slots (libvirt's and virt-manager's default).</summary>
public sealed class Vk103FunctionsSplit : IRule
{
    public static RuleDescriptor Rule { get; } = new(
        RuleIds.FunctionsSplitAcrossSlots, Severity.Warning,
        "functions of one host device split across guest slots",
        "drivers pair a GPU with its HDMI audio by slot: split functions break audio and reset/power quirks",
        // Proxmox (one function per hostpciN line): detected; its repairer does not carry GatherFunctions yet.
        ConfigFormats.All, Repairs: [typeof(GatherFunctions)]);

    public RuleDescriptor Descriptor => Rule;

    public IReadOnlyList<RuleExample> Examples { get; } = [
        new(ConfigFormat.Qemu,
            Bad: """
            qemu-system-x86_64 -M q35 \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 \
              -device pcie-root-port,id=rp2,chassis=2,slot=2,bus=pcie.0 \
              -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0 \
              -device vfio-pci,host=0000:0b:00.1,bus=rp2,addr=0x0
            """,
            Good: """
            qemu-system-x86_64 -M q35 \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 \
              -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0.0,multifunction=on \
              -device vfio-pci,host=0000:0b:00.1,bus=rp1,addr=0x0.1
            """),
        new(ConfigFormat.Proxmox,
            Bad: ExampleProxmoxVm.Gpu(("hostpci0", "0000:0b:00.0,pcie=1"), ("hostpci1", "0000:0b:00.1,pcie=1"), ("hugepages", null)),
            Good: ExampleProxmoxVm.Gpu(("hugepages", null))),
        new(ConfigFormat.Libvirt,
            Bad: ExampleDomain.Q35($"""
                {ExampleDomain.RootPorts(2)}
                {ExampleDomain.Hostdev("0b:00.0", at: "01:00.0")}
                {ExampleDomain.Hostdev("0b:00.1", at: "02:00.0")}
                """),
            Good: ExampleDomain.Q35($"""
                {ExampleDomain.RootPorts(1)}
                {ExampleDomain.Hostdev("0b:00.0", at: "01:00.0", address: " multifunction='on'")}
                {ExampleDomain.Hostdev("0b:00.1", at: "01:00.1")}
                """)),
    ];

    public IEnumerable<Finding> Check(LintContext c)
    {
        var groups = c.Topology.Configured
            .Where(d => d.IsPassthrough && d.Placement is not null && d.HostSlot() is not null)
            .GroupBy(d => d.HostSlot()!.Value.Device);
        foreach (var g in groups)
        {
            var functions = g.OrderBy(d => d.HostSlot()!.Value.Function).ToList();
            if (functions.Count < 2) continue;
            // What pairs functions by slot keys on the host's function 0 (the HDMI audio driver looks for its
            // GPU at function 0 of its own slot, e.g. snd-hda-intel's get_bound_vga). Without function 0 the
            // functions are independent ones of a multi-function package (AMD's USB controllers at 00.1 and
            // 00.3 beside the PSP): each works alone, and gathered without a function 0 the guest would not even
            // scan the slot.
            if (functions[0].HostSlot()!.Value.Function != 0) continue;
            var first = functions[0];
            var split = functions.Skip(1).Where(d => d.Placement!.Bus != first.Placement!.Bus || d.Placement.Address.Slot != first.Placement.Address.Slot).ToList();
            if (split.Count == 0) continue;
            if (c.Format == ConfigFormat.Proxmox)
            {
                var pcie = c.Topology.Machine.Family == VfioKit.Vm.MachineFamily.Q35 ? ",pcie=1" : "";
                yield return c.Report(Rule,
                    $"host device {g.Key} is split over {string.Join(", ", functions.Select(f => $"{f.Id} ({f.Passthrough!.Host})"))}: pass it on one line, {first.Id}: {g.Key}{pcie}, which puts every function in one slot",
                    split[0]);
                continue;
            }
            yield return c.Report(Rule,
                $"host device {g.Key} is split: {string.Join(", ", functions.Select(f => $"{f.Name} at {f.Placement!.Bus}:{f.Placement.Address}"))}; put its functions in one slot",
                split[0], new GatherFunctions(first, functions.Skip(1).ToList()));
        }
    }
}
