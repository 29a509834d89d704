using VfioKit.Fixing;
using VfioKit.Formats;

namespace VfioKit.Rules;

/// <summary>VK206: a CPU model other than host-passthrough; topoext missing on AMD with guest SMT.</summary>
public sealed class Vk206CpuModel : IRule
{
    public static RuleDescriptor Rule { get; } = new(
        RuleIds.CpuModelNotHost, Severity.Warning,
        "CPU model not host-passthrough; topoext missing on AMD with SMT",
        "a named model hides the host's instruction set and cache topology; on AMD without topoext SMT siblings look like cores",
        ConfigFormats.All, Repairs: [typeof(UseHostCpu), typeof(AddCpuFeature)]);

    public RuleDescriptor Descriptor => Rule;

    public IReadOnlyList<RuleExample> Examples { get; } = [
        new(ConfigFormat.Proxmox,
            Bad: ExampleProxmoxVm.Gpu(("cpu", "kvm64")),
            Good: ExampleProxmoxVm.Gpu()),
        new(ConfigFormat.Qemu,
            Bad: ExampleScript.Gpu(cpu: "qemu64"),
            Good: ExampleScript.Gpu()),
        new(ConfigFormat.Libvirt,
            Bad: ExampleDomain.Gpu.Replace("<cpu mode='host-passthrough' check='none'/>",
                "<cpu mode='custom' match='exact' check='none'>\n    <model fallback='forbid'>qemu64</model>\n  </cpu>", StringComparison.Ordinal),
            Good: ExampleDomain.Gpu),
    ];

    public IEnumerable<Finding> Check(LintContext c)
    {
        var t = c.Tuning;
        // No -cpu (or an empty one) is QEMU's default model, qemu64.
        var written = string.IsNullOrWhiteSpace(t.CpuModel) ? null : t.CpuModel;
        var model = written ?? "QEMU's default qemu64 (no -cpu given)";
        // macOS runs on the models it supports (OSX-KVM's Penryn); host-passthrough is not the advice for it.
        if (written is not ("host" or "host-passthrough" or "max") && t.MacOsEvidence is null)
        {
            var severity = t.CpuModel == "host-model" ? Severity.Info : Rule.Severity;
            yield return t.CpuReplacedBy is { } replaced
                ? c.Report(Rule, $"CPU model is {model}, not host-passthrough ({replaced}: change it there)", t.CpuLine, null, severity)
                : c.Report(Rule, $"CPU model is {model}, not host-passthrough", t.CpuLine, new UseHostCpu(), severity);
        }
        var amd = c.Host?.IsAmd ?? (t.CpuModel ?? "").Contains("EPYC", StringComparison.OrdinalIgnoreCase);
        if (amd && t.ThreadsPerCore > 1 && !t.CpuFeatures.Contains("topoext"))
            yield return t.CpuReplacedBy is { } replaced
                ? c.Report(Rule, $"AMD CPU with {t.ThreadsPerCore} threads per core in the guest but no topoext ({replaced}: add it there)", t.CpuLine)
                : c.Report(Rule, $"AMD CPU with {t.ThreadsPerCore} threads per core in the guest but no topoext", t.CpuLine, new AddCpuFeature("topoext"));
    }
}
