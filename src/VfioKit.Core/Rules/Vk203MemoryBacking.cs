using VfioKit.Formats;

namespace VfioKit.Rules;

/// <summary>VK203: guest RAM neither on hugepages nor preallocated or locked.</summary>
public sealed class Vk203MemoryBacking : IRule
{
    public static RuleDescriptor Rule { get; } = new(
        RuleIds.MemoryNotBacked, Severity.Info,
        "guest RAM neither hugepage-backed nor preallocated/locked",
        "4 KiB pages cost TLB misses on every guest and GPU DMA access; hugepages reserved at boot avoid them",
        ConfigFormats.All);

    public RuleDescriptor Descriptor => Rule;

    public IReadOnlyList<RuleExample> Examples { get; } = [
        // Without hugepages, memory locked by QEMU itself (what `vfiokit new --hugepages off` writes).
        new(ConfigFormat.Proxmox,
            Bad: """
            cores: 8
            hostpci0: 0000:0b:00,pcie=1
            machine: q35
            memory: 16384
            """,
            Good: """
            args: -overcommit mem-lock=on
            cores: 8
            hostpci0: 0000:0b:00,pcie=1
            machine: q35
            memory: 16384
            """),
        new(ConfigFormat.Proxmox,
            Bad: ExampleProxmoxVm.Gpu(("hugepages", null)),
            Good: ExampleProxmoxVm.Gpu()),
        new(ConfigFormat.Qemu,
            Bad: ExampleScript.Gpu(),
            Good: ExampleScript.Gpu(options: " -mem-path /dev/hugepages -mem-prealloc")),
        new(ConfigFormat.Libvirt,
            Bad: ExampleDomain.Gpu.Replace("  <memoryBacking>\n    <hugepages/>\n  </memoryBacking>\n", "", StringComparison.Ordinal),
            Good: ExampleDomain.Gpu),
    ];

    public IEnumerable<Finding> Check(LintContext c)
    {
        var t = c.Tuning;
        if (t.HugePages || t.Preallocated || t.Locked) yield break;
        if (!c.Topology.Configured.Any(d => d.IsPassthrough)) yield break;
        yield return c.Report(Rule, "guest memory is neither backed by hugepages nor preallocated or locked", t.MemoryLine);
    }
}
