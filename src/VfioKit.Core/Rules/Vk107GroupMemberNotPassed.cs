using VfioKit.Formats;
using VfioKit.Pci;

namespace VfioKit.Rules;

/// <summary>VK107 (--host): a function of the same device, or another endpoint of its IOMMU group, stays with the host.</summary>
public sealed class Vk107GroupMemberNotPassed : IRule
{
    public static RuleDescriptor Rule { get; } = new(
        RuleIds.GroupMemberNotPassedThrough, Severity.Error,
        "a function or IOMMU group member not passed through",
        "VFIO gives a whole IOMMU group to one VM (\"group N is not viable\"); a missing audio function loses HDMI audio",
        ConfigFormats.All, NeedsHost: true);

    public RuleDescriptor Descriptor => Rule;

    public IReadOnlyList<RuleExample> Examples { get; } = [
        new(ConfigFormat.Qemu,
            Bad: """
            qemu-system-x86_64 -M q35 \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 \
              -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0
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
        var passed = c.Topology.Configured.Where(d => d.HostAddress is not null).ToList();
        var addresses = passed.Select(d => d.HostAddress!.Value).ToHashSet();
        var reported = new HashSet<PciAddress>();
        foreach (var d in passed)
        {
            var a = d.HostAddress!.Value;
            foreach (var sibling in host.FunctionsOf(a.Slot).Where(f => !addresses.Contains(f.Address) && reported.Add(f.Address)))
            {
                var sameGroup = host.Function(a)?.IommuGroup is { } g && sibling.IommuGroup == g;
                var kind = sibling.IsAudio ? "its HDMI/DP audio function" : "its function";
                yield return c.Report(Rule, $"{d.Name} ({a}): {kind} {sibling.Address} is not passed through" + (sameGroup ? $" and shares IOMMU group {sibling.IommuGroup}: QEMU will refuse (group not viable)" : ""),
                    d, severity: sameGroup ? Severity.Error : Severity.Warning);
            }
            if (host.Function(a)?.IommuGroup is not { } group) continue;
            foreach (var other in host.GroupEndpoints(group).Where(f => f.Address.Slot != a.Slot && !addresses.Contains(f.Address) && reported.Add(f.Address)))
                yield return c.Report(Rule, $"{d.Name} ({a}): {other.Address} is in the same IOMMU group {group} and is not passed through: the group is not viable", d);
        }
    }
}
