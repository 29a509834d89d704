using VfioKit.Fixing;
using VfioKit.Formats;

namespace VfioKit.Rules;

/// <summary>VK113 (--host): io-reserve=0 on the port above a device that has an I/O BAR.</summary>
public sealed class Vk113IoReserveZero : IRule
{
    public static RuleDescriptor Rule { get; } = new(
        RuleIds.IoReserveZero, Severity.Warning,
        "io-reserve=0 on a port above a device with I/O BARs",
        "the port forwards no I/O space, so the device's I/O BAR stays unassigned in the guest",
        ConfigFormats.Libvirt | ConfigFormats.Qemu, NeedsHost: true, Repairs: [typeof(RemoveIoReserve)]);

    public RuleDescriptor Descriptor => Rule;

    public IReadOnlyList<RuleExample> Examples { get; } = [
        new(ConfigFormat.Qemu,
            Bad: """
            qemu-system-x86_64 -M q35 \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0,io-reserve=0 \
              -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0.0x0,multifunction=on \
              -device vfio-pci,host=0000:0b:00.1,bus=rp1,addr=0x0.0x1
            """,
            Good: """
            qemu-system-x86_64 -M q35 \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 \
              -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0.0x0,multifunction=on \
              -device vfio-pci,host=0000:0b:00.1,bus=rp1,addr=0x0.0x1
            """,
            ExampleHost.Gpu),
    ];

    public IEnumerable<Finding> Check(LintContext c)
    {
        if (c.Host is not { } host) yield break;
        foreach (var d in c.Topology.Configured.Where(d => d.IsPassthrough && d.HostAddress is not null))
        {
            if (c.Topology.PortAbove(d) is not { Port.IoReserve: "0" } port) continue;
            if (host.Function(d.HostAddress!.Value) is not { HasIoBar: true }) continue;
            yield return c.Report(Rule, $"{port.Name} has io-reserve=0 but {d.Name} ({d.HostAddress}) has an I/O port BAR", port, new RemoveIoReserve(port));
        }
    }
}
