namespace VfioKit.Generation;

/// <summary>The Hyper-V enlightenments written for Windows guests (QEMU's names without "hv-"): the set VK201 checks
/// plus tlbflush and ipi, which cut VM exits for TLB shootdowns and IPIs on many-vCPU guests.</summary>
public static class HyperV
{
    public static IReadOnlyList<string> Qemu { get; } =
        ["hv-relaxed", "hv-vapic", "hv-spinlocks=0x1fff", "hv-vpindex", "hv-runtime", "hv-synic", "hv-stimer", "hv-reset", "hv-frequencies", "hv-time", "hv-tlbflush", "hv-ipi"];

    /// <summary>libvirt &lt;hyperv&gt; children (hv-time is the hypervclock timer in &lt;clock&gt;).</summary>
    public static IReadOnlyList<string> Libvirt { get; } =
        ["relaxed", "vapic", "spinlocks", "vpindex", "runtime", "synic", "stimer", "reset", "frequencies", "tlbflush", "ipi"];
}
