using VfioKit.Fixing;
using VfioKit.Formats;

namespace VfioKit.Rules;

/// <summary>VK104: functions above 0 in a slot whose function 0 lacks multifunction=on: QEMU refuses to start.</summary>
public sealed class Vk104MultifunctionMissing : IRule
{
    public static RuleDescriptor Rule { get; } = new(
        RuleIds.MultifunctionMissing, Severity.Error,
        "functions > 0 without multifunction=on at function 0",
        "QEMU refuses to start (\"PCI: single function device can't be populated in function x.y\")",
        ConfigFormats.Libvirt | ConfigFormats.Qemu, Repairs: [typeof(SetMultifunction)]);

    public RuleDescriptor Descriptor => Rule;

    public IReadOnlyList<RuleExample> Examples { get; } = [
        new(ConfigFormat.Qemu,
            Bad: """
            qemu-system-x86_64 -M q35 \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 \
              -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0 \
              -device vfio-pci,host=0000:0b:00.1,bus=rp1,addr=0x0.1
            """,
            Good: """
            qemu-system-x86_64 -M q35 \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 \
              -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0,multifunction=on \
              -device vfio-pci,host=0000:0b:00.1,bus=rp1,addr=0x0.1
            """),
        new(ConfigFormat.Libvirt,
            Bad: ExampleDomain.Q35($"""
                {ExampleDomain.RootPorts(1)}
                {ExampleDomain.Hostdev("0b:00.0", at: "01:00.0", address: " multifunction='off'")}
                {ExampleDomain.Hostdev("0b:00.1", at: "01:00.1")}
                """),
            Good: ExampleDomain.Q35($"""
                {ExampleDomain.RootPorts(1)}
                {ExampleDomain.Hostdev("0b:00.0", at: "01:00.0", address: " multifunction='on'")}
                {ExampleDomain.Hostdev("0b:00.1", at: "01:00.1")}
                """)),
    ];

    public IEnumerable<Finding> Check(LintContext c)
    {
        var slots = c.Topology.Devices.Where(d => d.Placement is not null)
            .GroupBy(d => (d.Placement!.Bus, d.Placement.Address.Slot));
        foreach (var slot in slots)
        {
            var fn0 = slot.FirstOrDefault(d => d.Placement!.Address.Function == 0);
            var others = slot.Where(d => d.Placement!.Address.Function != 0).ToList();
            if (fn0 is null || fn0.Multifunction || others.Count == 0 || fn0.IsImplicit && others.All(o => o.IsImplicit)) continue;
            yield return c.Report(Rule,
                $"{fn0.Name} at {fn0.Placement}: function 0 lacks multifunction=on but the slot also holds {string.Join(", ", others.Select(o => o.Name))}",
                fn0.IsImplicit ? others[0] : fn0, fn0.IsImplicit ? null : new SetMultifunction(fn0, true));
        }
    }
}
