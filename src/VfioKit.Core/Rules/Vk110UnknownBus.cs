using VfioKit.Formats;

namespace VfioKit.Rules;

/// <summary>VK110: bus= names a bus no controller provides.</summary>
public sealed class Vk110UnknownBus : IRule
{
    public static RuleDescriptor Rule { get; } = new(
        RuleIds.UnknownBus, Severity.Error,
        "bus= names an unknown bus",
        "QEMU refuses to start (\"Bus 'X' not found\")",
        ConfigFormats.Qemu);
    // libvirt adds the controllers a bus number needs (or refuses the domain itself): no libvirt form.

    public RuleDescriptor Descriptor => Rule;

    public IReadOnlyList<RuleExample> Examples { get; } = [
        new(ConfigFormat.Qemu,
            Bad: """
            qemu-system-x86_64 -M q35 \
              -device vfio-pci,host=0000:0b:00.0,bus=rp9,addr=0x0
            """,
            Good: """
            qemu-system-x86_64 -M q35 \
              -device pcie-root-port,id=rp9,chassis=9,slot=9,bus=pcie.0 \
              -device vfio-pci,host=0000:0b:00.0,bus=rp9,addr=0x0
            """),
    ];

    public IEnumerable<Finding> Check(LintContext c)
    {
        foreach (var (line, device, bus) in c.UnknownBuses)
            yield return c.Report(Rule, $"{device}: bus '{bus}' does not exist", line);
        foreach (var d in c.Topology.Configured)
            if (d.Bus is { } bus && c.Topology.FindBus(bus) is null)
                yield return c.Report(Rule, $"{d.Name}: bus '{bus}' does not exist", d);
    }
}
