using VfioKit.Formats;

namespace VfioKit.Rules;

/// <summary>VK202: KVM hidden or the Hyper-V vendor id spoofed, only needed by NVIDIA drivers before R465.</summary>
public sealed class Vk202KvmHidden : IRule
{
    public static RuleDescriptor Rule { get; } = new(
        RuleIds.KvmHiddenNeedless, Severity.Info,
        "kvm=off / hidden KVM / hv_vendor_id spoofing",
        "only NVIDIA drivers older than R465 (2021) need it; hiding KVM also hides its paravirtual features",
        ConfigFormats.All);

    public RuleDescriptor Descriptor => Rule;

    public IReadOnlyList<RuleExample> Examples { get; } = [
        new(ConfigFormat.Proxmox,
            Bad: ExampleProxmoxVm.Gpu(("cpu", "host,hidden=1")),
            Good: ExampleProxmoxVm.Gpu()),
        new(ConfigFormat.Qemu,
            Bad: ExampleScript.Gpu(cpu: "host,kvm=off"),
            Good: ExampleScript.Gpu()),
        new(ConfigFormat.Libvirt,
            Bad: ExampleDomain.GpuWithFeatures("""
                <kvm>
                  <hidden state='on'/>
                </kvm>
                """),
            Good: ExampleDomain.Gpu),
    ];

    public IEnumerable<Finding> Check(LintContext c)
    {
        var what = new List<string>();
        if (c.Tuning.KvmHidden) what.Add("KVM hidden");
        if (c.Tuning.VendorIdSpoofed) what.Add("Hyper-V vendor id spoofed");
        if (what.Count > 0)
            yield return c.Report(Rule, $"{string.Join(" and ", what)}: only needed for NVIDIA drivers older than R465", c.Tuning.CpuLine);
    }
}
