using VfioKit.Fixing;
using VfioKit.Formats;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Rules;

/// <summary>VK201: a Windows guest without the key Hyper-V enlightenments.</summary>
public sealed class Vk201HyperVEnlightenments : IRule
{
    public static RuleDescriptor Rule { get; } = new(
        RuleIds.HyperVEnlightenmentsMissing, Severity.Warning,
        "Windows guest without the key Hyper-V enlightenments",
        "without them Windows spins on preempted vCPUs and takes a VM exit per timer tick: idle CPU use and latency go up",
        ConfigFormats.All, Repairs: [typeof(AddHyperV)]);

    public RuleDescriptor Descriptor => Rule;

    public IReadOnlyList<RuleExample> Examples { get; } = [
        new(ConfigFormat.Proxmox,
            Bad: ExampleProxmoxVm.Gpu(("ostype", "w2k8")),
            Good: ExampleProxmoxVm.Gpu()),
        new(ConfigFormat.Qemu,
            Bad: ExampleScript.Gpu(cpu: "host,hv_relaxed"),
            Good: ExampleScript.Gpu(cpu: "host,hv_relaxed,hv_vapic,hv_spinlocks=0x1fff,hv_time,hv_vpindex,hv_synic,hv_stimer,hv_reset,hv_frequencies,hv_runtime")),
        new(ConfigFormat.Libvirt,
            Bad: ExampleDomain.GpuWithFeatures("""
                <hyperv mode='custom'>
                  <relaxed state='on'/>
                </hyperv>
                """),
            Good: ExampleDomain.GpuWithFeatures("""
                <hyperv mode='custom'>
                  <relaxed state='on'/>
                  <vapic state='on'/>
                  <spinlocks state='on' retries='8191'/>
                  <vpindex state='on'/>
                  <synic state='on'/>
                  <stimer state='on'/>
                  <reset state='on'/>
                  <frequencies state='on'/>
                  <runtime state='on'/>
                </hyperv>
                """)
                .Replace("check='none'/>\n", "check='none'/>\n  <clock offset='localtime'>\n    <timer name='hypervclock' present='yes'/>\n  </clock>\n", StringComparison.Ordinal)),
    ];

    public IEnumerable<Finding> Check(LintContext c)
    {
        // An isa-applesmc device is a macOS guest whatever <hyperv> or ostype say: it ignores Hyper-V.
        if (c.Tuning.WindowsEvidence is not { } why || c.Tuning.MacOsEvidence is not null) yield break;
        // qemu-server never adds hv_frequencies; on Proxmox the ostype's set is what can be asked for.
        var wanted = c.Format == ConfigFormat.Proxmox ? HyperVEnlightenments.Key.Where(k => k != "frequencies") : HyperVEnlightenments.Key;
        var missing = wanted.Where(k => !c.Tuning.HyperV.Contains(k)).ToList();
        if (missing.Count == 0) yield break;
        var line = c.Tuning.HyperVLine > 0 ? c.Tuning.HyperVLine : c.Tuning.CpuLine;
        // A fix to the generated configuration cannot take effect when an appended -cpu replaces its -cpu: say so, fix nothing.
        yield return c.Tuning.CpuReplacedBy is { } replaced
            ? c.Report(Rule, $"Windows guest ({why}) lacks Hyper-V enlightenments: {string.Join(", ", missing)}; {replaced}, so add them to that -cpu", line)
            : c.Report(Rule, $"Windows guest ({why}) lacks Hyper-V enlightenments: {string.Join(", ", missing)}", line, new AddHyperV(missing));
    }
}
