using VfioKit.Formats;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Rules;

/// <summary>VK210: a Hyper-V enlightenment without one it depends on: QEMU refuses to start the VM.</summary>
public sealed class Vk210HyperVDependencies : IRule
{
    public static RuleDescriptor Rule { get; } = new(
        RuleIds.HyperVDependencyMissing, Severity.Error,
        "Hyper-V enlightenment without one it depends on",
        "QEMU with KVM refuses to start: \"Hyper-V synthetic timers (hv-stimer) requires Hyper-V synthetic interrupt controller (hv-synic)\"",
        ConfigFormats.Libvirt | ConfigFormats.Qemu);

    public RuleDescriptor Descriptor => Rule;

    public IReadOnlyList<RuleExample> Examples { get; } = [
        new(ConfigFormat.Qemu,
            Bad: ExampleScript.Gpu(cpu: "host,hv_relaxed,hv_vapic,hv_time,hv_stimer"),
            Good: ExampleScript.Gpu(cpu: "host,hv_relaxed,hv_vapic,hv_time,hv_vpindex,hv_synic,hv_stimer")),
        new(ConfigFormat.Libvirt,
            Bad: Domain("<stimer state='on'/>", clock: false),
            Good: Domain("<vpindex state='on'/>\n      <synic state='on'/>\n      <stimer state='on'/>", clock: true)),
    ];

    private static string Domain(string features, bool clock) => ExampleDomain.Gpu
        .Replace("<apic/>", $"<apic/>\n    <hyperv mode='custom'>\n      <relaxed state='on'/>\n      {features}\n    </hyperv>", StringComparison.Ordinal)
        .Replace("</features>", clock ? "</features>\n  <clock offset='localtime'>\n    <timer name='hypervclock' present='yes'/>\n  </clock>" : "</features>", StringComparison.Ordinal);

    public IEnumerable<Finding> Check(LintContext c)
    {
        var on = c.Tuning.HyperV;
        // hv-passthrough turns on everything the host has, dependencies included.
        if (on.Contains("passthrough")) yield break;
        foreach (var (feature, needs) in HyperVEnlightenments.Dependencies)
        {
            if (!on.Contains(feature)) continue;
            var missing = needs.Where(n => !on.Contains(n)).ToList();
            if (missing.Count == 0) continue;
            yield return c.Report(Rule,
                $"{Name(c.Format, feature)} needs {string.Join(" and ", missing.Select(m => Name(c.Format, m)))}: QEMU refuses to start the VM (\"Hyper-V ... requires Hyper-V ...\")",
                c.Tuning.HyperVLine > 0 ? c.Tuning.HyperVLine : c.Tuning.CpuLine);
        }
    }

    /// <summary>The feature as the user writes it: hv-stimer on a QEMU line, &lt;stimer&gt; (or the hypervclock timer) in libvirt.</summary>
    private static string Name(ConfigFormat format, string feature) => format switch
    {
        ConfigFormat.Libvirt when feature == "time" => "<timer name='hypervclock'>",
        ConfigFormat.Libvirt when feature == "stimer_direct" => "<stimer><direct/>",
        ConfigFormat.Libvirt => $"<{feature}>",
        _ => "hv-" + feature.Replace('_', '-'),
    };
}
