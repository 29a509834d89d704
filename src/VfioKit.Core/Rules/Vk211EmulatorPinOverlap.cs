using VfioKit.Formats;

namespace VfioKit.Rules;

/// <summary>VK211: &lt;emulatorpin&gt; on a host CPU that a vCPU is pinned to.</summary>
public sealed class Vk211EmulatorPinOverlap : IRule
{
    public static RuleDescriptor Rule { get; } = new(
        RuleIds.EmulatorPinOverlapsVcpus, Severity.Warning,
        "emulator threads pinned to a vCPU's host CPU",
        "QEMU's I/O and emulator threads then preempt that vCPU: the guest sees stutter and latency spikes",
        ConfigFormats.Libvirt);

    public RuleDescriptor Descriptor => Rule;

    private static string Domain(string emulator) => ExampleDomain.Gpu
        .Replace("<cpu mode=", $"<cputune>\n    <vcpupin vcpu='0' cpuset='2'/>\n    <vcpupin vcpu='1' cpuset='3'/>\n    <vcpupin vcpu='2' cpuset='6'/>\n    <vcpupin vcpu='3' cpuset='7'/>\n    <emulatorpin cpuset='{emulator}'/>\n  </cputune>\n  <cpu mode=", StringComparison.Ordinal);

    public IReadOnlyList<RuleExample> Examples { get; } = [
        new(ConfigFormat.Libvirt, Bad: Domain("0-3"), Good: Domain("0-1")),
    ];

    public IEnumerable<Finding> Check(LintContext c)
    {
        var t = c.Tuning;
        if (t.EmulatorPins is not { Count: > 0 } emulator || t.VcpuPins.Count == 0) yield break;
        var shared = t.VcpuPins
            .Select(p => (Vcpu: p.Key, Cpus: p.Value.Intersect(emulator).Order().ToList()))
            .Where(p => p.Cpus.Count > 0).OrderBy(p => p.Vcpu).ToList();
        if (shared.Count == 0) yield break;
        var cpus = shared.SelectMany(p => p.Cpus).Distinct().Order();
        yield return c.Report(Rule,
            $"emulatorpin includes host CPU {string.Join(",", cpus)}, which vCPU {string.Join(",", shared.Select(p => p.Vcpu))} {(shared.Count == 1 ? "is" : "are")} pinned to: pin the emulator to CPUs no vCPU uses",
            t.EmulatorPinLine is > 0 and var line ? line : t.PinningLine);
    }
}
