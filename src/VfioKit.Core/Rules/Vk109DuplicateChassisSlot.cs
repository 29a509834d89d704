using VfioKit.Fixing;
using VfioKit.Formats;

namespace VfioKit.Rules;

/// <summary>VK109: two ports with the same (chassis, slot); both default to 0, so QEMU refuses to start.</summary>
public sealed class Vk109DuplicateChassisSlot : IRule
{
    public static RuleDescriptor Rule { get; } = new(
        RuleIds.DuplicateChassisSlot, Severity.Error,
        "root ports with the same (chassis, slot)",
        "QEMU refuses to start (\"Can't add chassis slot, error -16\"); chassis and slot both default to 0",
        ConfigFormats.Libvirt | ConfigFormats.Qemu, Repairs: [typeof(SetChassis)]);

    public RuleDescriptor Descriptor => Rule;

    public IReadOnlyList<RuleExample> Examples { get; } = [
        new(ConfigFormat.Qemu,
            Bad: """
            qemu-system-x86_64 -M q35 \
              -device pcie-root-port,id=rp1,bus=pcie.0,addr=0x1c.0,multifunction=on \
              -device pcie-root-port,id=rp2,bus=pcie.0,addr=0x1c.1
            """,
            Good: """
            qemu-system-x86_64 -M q35 \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0,addr=0x1c.0,multifunction=on \
              -device pcie-root-port,id=rp2,chassis=2,slot=2,bus=pcie.0,addr=0x1c.1
            """),
        new(ConfigFormat.Libvirt,
            Bad: ExampleDomain.Q35($"""
                {ExampleDomain.PcieRoot}
                {ExampleDomain.RootPort(1, multifunction: true)}
                {ExampleDomain.RootPort(2, chassis: 1)}
                {ExampleDomain.Hostdev("0b:00.0", at: "01:00.0")}
                """),
            Good: ExampleDomain.Q35($"""
                {ExampleDomain.RootPorts(2)}
                {ExampleDomain.Hostdev("0b:00.0", at: "01:00.0")}
                """)),
    ];

    public IEnumerable<Finding> Check(LintContext c)
    {
        var ports = c.Topology.Configured.Where(d => d.Controller is { } m && Vm.ControllerModels.IsPort(m)).ToList();
        var used = ports.Select(p => p.Port?.Chassis ?? 0).ToHashSet();
        var seen = new Dictionary<(int, int), Vm.VmDevice>();
        foreach (var p in ports)
        {
            var key = (p.Port?.Chassis ?? 0, p.Port?.Slot ?? 0);
            if (!seen.TryAdd(key, p))
            {
                // A chassis QEMU accepts (8 bits), or no fix when all 255 are taken.
                var next = Vm.ChassisRange.Next(used);
                if (next is { } n) used.Add(n);
                yield return c.Report(Rule, $"{p.Name} has chassis {key.Item1} slot {key.Item2}, the same as {seen[key].Name}", p,
                    next is { } chassis ? new SetChassis(p, chassis) : null);
            }
        }
    }
}
