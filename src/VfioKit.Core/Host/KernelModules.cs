namespace VfioKit.Host;

/// <summary>
/// The kernel modules present: loaded ones from /proc/modules, and built-in ones that show up only as
/// /sys/module/NAME. Names use underscores as the kernel does ("vfio_pci", "kvm_intel").
/// </summary>
public sealed record KernelModules(IReadOnlySet<string> Loaded, IReadOnlySet<string> BuiltIn, bool ListReadable)
{
    /// <summary>The modules vfiokit asks about.</summary>
    public static readonly string[] Watched = ["vfio", "vfio_pci", "vfio_pci_core", "vfio_iommu_type1", "kvm", "kvm_intel", "kvm_amd", "kvm_pvm", "vendor_reset", "kvmfr"];

    public bool Has(string name) => Loaded.Contains(name) || BuiltIn.Contains(name);

    /// <summary>
    /// KVM here is PVM alone (kvm_pvm, out of tree: the KVM of cloud VMs without nested virtualization, no VT-x/AMD-V):
    /// /dev/kvm passes every check, but only guest kernels built for PVM boot (Debian's hangs without printing a line),
    /// and QEMU refuses smm=on under it (seen 2026-12-07). With kvm_intel or kvm_amd beside it, ordinary guests run.
    /// </summary>
    public bool KvmIsPvm => Has("kvm_pvm") && !Has("kvm_intel") && !Has("kvm_amd");

    /// <summary>The first word of each line of /proc/modules ("vfio_pci 16384 0 - Live 0x0").</summary>
    public static IReadOnlySet<string> ParseProcModules(string text)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var space = line.IndexOf(' ');
            var name = (space < 0 ? line : line[..space]).Trim();
            if (name.Length > 0) set.Add(name);
        }
        return set;
    }
}
