using VfioKit.Formats;

namespace VfioKit.Rules;

/// <summary>VK111: two devices at one bus/slot/function.</summary>
public sealed class Vk111AddressInUse : IRule
{
    public static RuleDescriptor Rule { get; } = new(
        RuleIds.AddressInUse, Severity.Error,
        "two devices at one bus/slot/function",
        "QEMU refuses to start (\"PCI: slot N function F not available, in use by ...\")",
        ConfigFormats.Libvirt | ConfigFormats.Qemu);

    public RuleDescriptor Descriptor => Rule;

    public IReadOnlyList<RuleExample> Examples { get; } = [
        new(ConfigFormat.Qemu,
            Bad: """
            qemu-system-x86_64 -M q35 \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 \
              -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0 \
              -device vfio-pci,host=0000:0c:00.0,bus=rp1,addr=0x0
            """,
            Good: """
            qemu-system-x86_64 -M q35 \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 \
              -device pcie-root-port,id=rp2,chassis=2,slot=2,bus=pcie.0 \
              -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0 \
              -device vfio-pci,host=0000:0c:00.0,bus=rp2,addr=0x0
            """),
        new(ConfigFormat.Libvirt,
            Bad: ExampleDomain.Q35($"""
                {ExampleDomain.RootPorts(1)}
                {ExampleDomain.Hostdev("0b:00.0", at: "01:00.0")}
                {ExampleDomain.Hostdev("0c:00.0", at: "01:00.0")}
                """),
            Good: ExampleDomain.Q35($"""
                {ExampleDomain.RootPorts(2)}
                {ExampleDomain.Hostdev("0b:00.0", at: "01:00.0")}
                {ExampleDomain.Hostdev("0c:00.0", at: "02:00.0")}
                """)),
    ];

    public IEnumerable<Finding> Check(LintContext c)
    {
        var placed = c.Topology.Devices.Where(d => d.Placement is not null && d.Address is not null || d.IsImplicit && d.Placement is not null);
        foreach (var g in placed.GroupBy(d => (d.Placement!.Bus, d.Placement.Address.Devfn)))
        {
            var first = g.First();
            foreach (var d in g.Skip(1).Where(d => !d.IsImplicit))
                yield return c.Report(Rule, $"{d.Name} is at {d.Placement}, already used by {first.Name}", d);
        }
    }
}
