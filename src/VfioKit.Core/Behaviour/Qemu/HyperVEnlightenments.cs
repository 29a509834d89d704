namespace VfioKit.Behaviour.Qemu;

/// <summary>
/// QEMU's Hyper-V enlightenments (target/i386/kvm/kvm.c kvm_hyperv_properties), by the names vfiokit uses:
/// QEMU's property without "hv-", with '_' for '-' (libvirt's &lt;hyperv&gt; child names, but for "time",
/// which libvirt writes as the hypervclock timer in &lt;clock&gt;). The lint rules, the tuning readers and the
/// generators all take them from here.
/// </summary>
public static class HyperVEnlightenments
{
    /// <summary>The ones a Windows guest should have (VK201 asks for the missing ones).</summary>
    public static IReadOnlyList<string> Key { get; } =
        ["relaxed", "vapic", "spinlocks", "time", "vpindex", "synic", "stimer", "reset", "frequencies", "runtime"];

    /// <summary>What a new Windows VM gets, in the order written: <see cref="Key"/> plus tlbflush and ipi, which cut
    /// VM exits for TLB shootdowns and IPIs on many-vCPU guests.</summary>
    public static IReadOnlyList<string> Written { get; } =
        ["relaxed", "vapic", "spinlocks", "vpindex", "runtime", "synic", "stimer", "reset", "frequencies", "time", "tlbflush", "ipi"];

    /// <summary>hv-spinlocks' retry count as written: 0x1fff = 8191, the value Windows is happy with.</summary>
    public const int SpinlockRetries = 0x1fff;

    /// <summary>
    /// kvm_hyperv_properties[].dependencies and QEMU's one extra check (hv-synic needs hv-vpindex): without
    /// them QEMU with KVM refuses to start.
    /// </summary>
    public static IReadOnlyList<(string Feature, string[] Needs)> Dependencies { get; } =
    [
        ("stimer", ["synic", "time"]),
        ("synic", ["vpindex"]),
        ("tlbflush", ["vpindex"]),
        ("ipi", ["vpindex"]),
        ("evmcs", ["vapic"]),
        ("stimer_direct", ["stimer"]),
    ];

    /// <summary>The -cpu flag that turns one on ("hv-spinlocks=0x1fff", "hv-stimer-direct").</summary>
    public static string QemuFlag(string name) =>
        name == "spinlocks" ? "hv-spinlocks=0x1fff" : "hv-" + name.Replace('_', '-');

    /// <summary>"hv_relaxed", "hv-spinlocks=0x1fff", "hv-relaxed=on" to "relaxed"; null for anything else or one turned off.</summary>
    public static string? FromQemuFlag(string flag)
    {
        var f = flag.Trim();
        if (!(f.StartsWith("hv_", StringComparison.Ordinal) || f.StartsWith("hv-", StringComparison.Ordinal))) return null;
        var name = f[3..];
        var eq = name.IndexOf('=');
        if (eq >= 0)
        {
            var value = name[(eq + 1)..].ToLowerInvariant();
            name = name[..eq];
            if (value is "off" or "false" or "no") return null;
        }
        return name.Replace('-', '_');
    }
}
