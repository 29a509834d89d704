using VfioKit.Formats;

namespace VfioKit.Rules;

/// <summary>VK114: a controller whose id is the machine's root bus name (a port with id=pcie.0).</summary>
public sealed class Vk114ControllerNamedLikeRootBus : IRule
{
    public static RuleDescriptor Rule { get; } = new(
        RuleIds.ControllerNamedLikeRootBus, Severity.Warning,
        "a port or bridge named like the root bus (id=pcie.0)",
        "bus=pcie.0 always finds the machine's root bus first: nothing can be put behind this port, and what was meant for it sits on the root bus",
        ConfigFormats.Qemu);
    // libvirt and qemu-server give controllers their own ids (pci.N, pci.N / ich9-pcie-port-N): no such form.

    public RuleDescriptor Descriptor => Rule;

    public IReadOnlyList<RuleExample> Examples { get; } = [
        new(ConfigFormat.Qemu,
            Bad: """
            qemu-system-x86_64 -M q35 \
              -device pcie-root-port,id=pcie.0,chassis=1,slot=1 \
              -device vfio-pci,host=0000:0b:00.0,bus=pcie.0
            """,
            Good: """
            qemu-system-x86_64 -M q35 \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 \
              -device vfio-pci,host=0000:0b:00.0,bus=rp1
            """),
    ];

    public IEnumerable<Finding> Check(LintContext c)
    {
        var root = c.Topology.RootBusId;
        foreach (var port in c.Topology.Configured.Where(d => d.Controller is not null && d.Id == root))
        {
            // QEMU's qbus_find_recursive returns the first bus of that name that is not full, searching from the
            // machine: the root bus. The port's own bus is reachable by no name.
            var onRoot = c.Topology.Configured.Where(d => d.Bus == root && !ReferenceEquals(d, port))
                .Select(d => d.Source is { Line: > 0 } s ? $"{d.Name} (line {s.Line})" : d.Name).ToList();
            var meant = onRoot.Count == 0 ? "" : $"; {string.Join(", ", onRoot)} with bus={root} sit{(onRoot.Count == 1 ? "s" : "")} on the root bus";
            yield return c.Report(Rule,
                $"{port.Driver} '{port.Id}' has the root bus's name: bus={root} always finds the root bus, so nothing can be put behind this port{meant}; give the port another id",
                port);
        }
    }
}
