using VfioKit.Formats;

namespace VfioKit.Rules;

/// <summary>VK209: Hyper-V enlightenments next to a switched-off hypervisor CPUID bit, which makes Windows ignore them all.</summary>
public sealed class Vk209HypervisorBitOff : IRule
{
    public static RuleDescriptor Rule { get; } = new(
        RuleIds.HypervisorBitOff, Severity.Warning,
        "Hyper-V enlightenments with the hypervisor CPUID bit off",
        "Windows reads the Hyper-V leaves only when CPUID says a hypervisor is present: with the bit off every enlightenment is ignored",
        ConfigFormats.All);

    public RuleDescriptor Descriptor => Rule;

    private static string Domain(bool hypervisorOff) => ExampleDomain.Gpu
        .Replace("<apic/>", "<apic/>\n    <hyperv mode='custom'>\n      <relaxed state='on'/>\n      <vapic state='on'/>\n    </hyperv>", StringComparison.Ordinal)
        .Replace("<cpu mode='host-passthrough' check='none'/>", hypervisorOff
            ? "<cpu mode='host-passthrough' check='none'>\n    <feature policy='disable' name='hypervisor'/>\n  </cpu>"
            : "<cpu mode='host-passthrough' check='none'/>", StringComparison.Ordinal);

    public IReadOnlyList<RuleExample> Examples { get; } = [
        new(ConfigFormat.Qemu,
            Bad: ExampleScript.Gpu(cpu: "host,hypervisor=off,hv_relaxed,hv_vapic,hv_time"),
            Good: ExampleScript.Gpu(cpu: "host,hv_relaxed,hv_vapic,hv_time")),
        new(ConfigFormat.Libvirt, Bad: Domain(hypervisorOff: true), Good: Domain(hypervisorOff: false)),
        new(ConfigFormat.Proxmox,
            Bad: ExampleProxmoxVm.Gpu(("args", "-cpu host,hv_relaxed,hv_vapic,hv_time,hypervisor=off"), ("hugepages", null)),
            Good: ExampleProxmoxVm.Gpu(("hugepages", null))),
    ];

    public IEnumerable<Finding> Check(LintContext c)
    {
        var t = c.Tuning;
        if (!t.HypervisorBitOff || t.HyperV.Count == 0) yield break;
        var off = c.Format == ConfigFormat.Libvirt ? "<feature policy='disable' name='hypervisor'/>" : "hypervisor=off";
        yield return c.Report(Rule,
            $"{off} hides the hypervisor from the guest, so Windows ignores the Hyper-V enlightenments ({string.Join(", ", t.HyperV.Order(StringComparer.Ordinal))}): drop it (with a current NVIDIA driver nothing needs it)",
            t.HypervisorLine > 0 ? t.HypervisorLine : t.CpuLine);
    }
}
