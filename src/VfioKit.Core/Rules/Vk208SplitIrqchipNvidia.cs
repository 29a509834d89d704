using VfioKit.Fixing;
using VfioKit.Formats;
using VfioKit.Vm;

namespace VfioKit.Rules;

/// <summary>VK208: q35 with the split irqchip and an NVIDIA GPU: every line interrupt goes through QEMU's user space.</summary>
public sealed class Vk208SplitIrqchipNvidia : IRule
{
    public static RuleDescriptor Rule { get; } = new(
        RuleIds.SplitIrqchipWithNvidia, Severity.Warning,
        "split irqchip with an NVIDIA GPU",
        "with kernel-irqchip=split the IOAPIC is emulated in user space; NVIDIA's line interrupts each pay a round trip",
        ConfigFormats.Libvirt | ConfigFormats.Qemu, Repairs: [typeof(UseKernelIrqchip)]);

    public RuleDescriptor Descriptor => Rule;

    public IReadOnlyList<RuleExample> Examples { get; } = [
        new(ConfigFormat.Qemu,
            Bad: """
            qemu-system-x86_64 -machine q35,kernel-irqchip=split \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 \
              -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0
            """,
            Good: """
            qemu-system-x86_64 -machine q35,kernel-irqchip=on \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 \
              -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0
            """),
        new(ConfigFormat.Libvirt,
            Bad: ExampleDomain.GpuWithFeatures("<ioapic driver='qemu'/>"),
            Good: ExampleDomain.GpuWithFeatures("<ioapic driver='kvm'/>")),
    ];

    public IEnumerable<Finding> Check(LintContext c)
    {
        if (c.Topology.Machine.Family != MachineFamily.Q35 || c.Tuning.KernelIrqchip != "split" || c.Tuning.InterruptRemapping) yield break;
        var gpus = c.Topology.Configured.Where(d => d.IsPassthrough && (d.Placement?.Address.Function ?? 0) == 0).ToList();
        if (c.Host is { } host)
            gpus = gpus.Where(d => d.HostAddress is { } a && host.Function(a) is { IsNvidia: true, IsDisplay: true }).ToList();
        if (gpus.Count == 0) yield break;
        var who = c.Host is null ? "a passed-through GPU (NVIDIA unless --host says otherwise)" : "an NVIDIA GPU";
        yield return c.Report(Rule, $"kernel-irqchip=split with {who} ({gpus[0].Name}): use the in-kernel IOAPIC", c.Tuning.IrqchipLine, new UseKernelIrqchip());
    }
}
