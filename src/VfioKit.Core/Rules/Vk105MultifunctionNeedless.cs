using VfioKit.Fixing;
using VfioKit.Formats;

namespace VfioKit.Rules;

/// <summary>VK105: multifunction=on on a slot that holds a single function.</summary>
public sealed class Vk105MultifunctionNeedless : IRule
{
    public static RuleDescriptor Rule { get; } = new(
        RuleIds.MultifunctionNeedless, Severity.Info,
        "multifunction=on on a slot with a single function",
        "harmless but needless: it advertises functions that do not exist",
        ConfigFormats.Libvirt | ConfigFormats.Qemu, Repairs: [typeof(SetMultifunction)]);

    public RuleDescriptor Descriptor => Rule;

    public IReadOnlyList<RuleExample> Examples { get; } = [
        new(ConfigFormat.Qemu,
            Bad: """
            qemu-system-x86_64 -M q35 \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 \
              -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0,multifunction=on
            """,
            Good: """
            qemu-system-x86_64 -M q35 \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 \
              -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0
            """),
        new(ConfigFormat.Libvirt,
            Bad: ExampleDomain.Q35($"""
                {ExampleDomain.RootPorts(1)}
                {ExampleDomain.Hostdev("0b:00.0", at: "01:00.0", address: " multifunction='on'")}
                """),
            Good: ExampleDomain.Gpu),
    ];

    public IEnumerable<Finding> Check(LintContext c)
    {
        foreach (var d in c.Topology.Configured.Where(d => d.Multifunction && d.Placement is not null))
        {
            if (c.Topology.Devices.Any(o => !ReferenceEquals(o, d) && o.Placement is { } p && p.Bus == d.Placement!.Bus && p.Address.Slot == d.Placement.Address.Slot))
                continue;
            yield return c.Report(Rule, $"{d.Name} has multifunction=on but is alone in its slot ({d.Placement})", d, new SetMultifunction(d, false));
        }
    }
}
