using VfioKit.Host.Cpu;

namespace VfioKit.Host;

/// <summary>
/// The readiness checklist for GPU passthrough: IOMMU, vfio modules, KVM, huge pages, isolated CPUs, and
/// whether some GPU can be passed through. Fail = passthrough cannot work as the host is; warn = it works
/// but slower or with a risk; every non-pass carries the fix.
/// </summary>
public static class ReadinessChecklist
{
    public static IReadOnlyList<ReadinessCheck> Evaluate(
        IReadOnlyList<IommuGroup> groups,
        KernelCommandLine? commandLine,
        KernelModules modules,
        IReadOnlyList<HugepagePool> hugepages,
        CpuTopology cpu,
        IReadOnlyList<Gpu> gpus,
        IReadOnlyList<string>? absent = null,
        bool? kvmOffered = null)
    {
        // A fact the source never gives (a libvirt connection has no module list) is unknown, not missing.
        var unknown = absent ?? [];
        return
        [
            Iommu(groups, commandLine, unknown.Contains(HostFactName.KernelCommandLine)),
            unknown.Contains(HostFactName.KernelModules) ? NotReported("vfio", "vfio modules", "the loaded modules", "lsmod | grep vfio") : Vfio(modules),
            unknown.Contains(HostFactName.KernelModules) ? KvmOffered(kvmOffered) : Kvm(modules),
            Hugepages(hugepages, cpu.Nodes),
            unknown.Contains(HostFactName.IsolatedCpus) ? NotReported("isolation", "isolated CPUs", "isolated CPUs", "cat /sys/devices/system/cpu/isolated /proc/cmdline") : Isolation(cpu),
            Gpus(gpus),
        ];
    }

    private static ReadinessCheck NotReported(string id, string title, string what, string command) =>
        new(id, title, CheckStatus.Warn, $"unknown: the host source does not report {what}", $"check on the host: {command}");

    /// <summary>KVM from libvirt's capabilities: whether it offers domain type kvm.</summary>
    private static ReadinessCheck KvmOffered(bool? offered) => offered switch
    {
        true => new("kvm", "KVM", CheckStatus.Pass, "libvirt offers domain type kvm", null),
        false => new("kvm", "KVM", CheckStatus.Fail, "libvirt offers no domain type kvm (only emulation)",
            "enable virtualization (VT-x / AMD-V, SVM) in the firmware setup, then modprobe kvm_intel or kvm_amd"),
        null => NotReported("kvm", "KVM", "whether KVM is usable", "lsmod | grep kvm"),
    };

    private static ReadinessCheck Iommu(IReadOnlyList<IommuGroup> groups, KernelCommandLine? cmdline, bool cmdlineNotReported)
    {
        const string title = "IOMMU enabled";
        var intel = cmdline?.Value("intel_iommu");
        var amd = cmdline?.Value("amd_iommu");
        var asked = intel is not null && intel.Split(',').Contains("on") ? "intel_iommu=on" : amd is not null ? $"amd_iommu={amd}" : null;
        const string enableFix = "enable VT-d (Intel) or AMD-Vi/IOMMU (AMD) in the firmware setup, and add intel_iommu=on (Intel; AMD needs nothing) and iommu=pt to the kernel command line";
        if (groups.Count > 0)
            return new(
                "iommu", title, CheckStatus.Pass,
                $"{groups.Count} IOMMU groups" + (asked is not null ? $"; {asked} on the command line" : cmdline is null && !cmdlineNotReported ? "; kernel command line unreadable" : ""),
                null);
        if (asked is not null)
            return new("iommu", title, CheckStatus.Fail, $"{asked} is on the command line but the kernel made no IOMMU groups", "enable VT-d / AMD-Vi (IOMMU) in the firmware setup");
        if (intel is "off" || amd is "off")
            return new("iommu", title, CheckStatus.Fail, "the IOMMU is turned off on the kernel command line", enableFix);
        return new("iommu", title, CheckStatus.Fail, cmdline is null && !cmdlineNotReported ? "no IOMMU groups; kernel command line unreadable" : "no IOMMU groups", enableFix);
    }

    private static ReadinessCheck Vfio(KernelModules modules)
    {
        const string title = "vfio modules";
        if (!modules.ListReadable && modules.BuiltIn.Count == 0)
            return new("vfio", title, CheckStatus.Warn, "the module list (/proc/modules) is unreadable", "check with: lsmod | grep vfio");
        string[] needed = ["vfio_pci", "vfio_iommu_type1"];
        var missing = needed.Where(m => !modules.Has(m)).ToArray();
        if (missing.Length == 0) return new("vfio", title, CheckStatus.Pass, "vfio_pci and vfio_iommu_type1 loaded", null);
        return new("vfio", title, CheckStatus.Warn, $"not loaded: {string.Join(", ", missing)}",
            "modprobe vfio-pci vfio_iommu_type1 (libvirt's managed hostdev loads them; to keep a GPU from its host driver at boot, add vfio-pci.ids=VENDOR:DEVICE,... to the kernel command line)");
    }

    private static ReadinessCheck Kvm(KernelModules modules)
    {
        const string title = "KVM";
        if (modules.Has("kvm_intel")) return new("kvm", title, CheckStatus.Pass, "kvm_intel loaded", null);
        if (modules.Has("kvm_amd")) return new("kvm", title, CheckStatus.Pass, "kvm_amd loaded", null);
        if (modules.KvmIsPvm)
            return new("kvm", title, CheckStatus.Warn, "kvm_pvm loaded: paravirtual KVM (PVM), no VT-x/AMD-V: it boots only guest kernels built for PVM, and QEMU refuses smm=on (Secure Boot firmware) under it",
                "pass a GPU through on a host with VT-x / AMD-V (SVM) enabled in the firmware and kvm_intel or kvm_amd loaded");
        if (!modules.ListReadable && modules.BuiltIn.Count == 0)
            return new("kvm", title, CheckStatus.Warn, "the module list (/proc/modules) is unreadable", "check with: lsmod | grep kvm");
        return new("kvm", title, CheckStatus.Fail,
            modules.Has("kvm") ? "kvm is present but neither kvm_intel nor kvm_amd" : "neither kvm_intel nor kvm_amd is loaded",
            "enable virtualization (VT-x / AMD-V, SVM) in the firmware setup, then modprobe kvm_intel or kvm_amd");
    }

    private static ReadinessCheck Hugepages(IReadOnlyList<HugepagePool> pools, IReadOnlyList<NumaNode> nodes)
    {
        const string title = "huge pages reserved";
        const string fix = "reserve them on the GPU's NUMA node, e.g. echo 16 > /sys/devices/system/node/node0/hugepages/hugepages-1048576kB/nr_hugepages (or hugepagesz=1G hugepages=16 on the kernel command line)";
        var reserved = pools.Where(p => p.Total > 0).ToList();
        // Per node when the kernel says (a VM's memory must be on its GPU's node); else the global pools.
        var perNode = nodes.SelectMany(n => n.HugePages.Where(h => h.Total > 0)
            .Select(h => $"node {n.Id}: {h.Total} x {new HugepagePool(h.PageSizeKiB, null, null, null, null).SizeName} ({h.Free} free)")).ToList();
        if (perNode.Count > 0) return new("hugepages", title, CheckStatus.Pass, string.Join("; ", perNode), null);
        if (reserved.Count > 0)
            return new("hugepages", title, CheckStatus.Pass, string.Join("; ", reserved.Select(p => $"{p.Total} x {p.SizeName}")), null);
        return new("hugepages", title, CheckStatus.Warn, pools.Count == 0 ? "no huge page pools (hugetlbfs not in the kernel?)" : "none reserved: guest memory will use 4K pages (more TLB misses)", fix);
    }

    private static ReadinessCheck Isolation(CpuTopology cpu)
    {
        const string title = "isolated CPUs";
        var isolated = cpu.Isolated.Union(cpu.NohzFull);
        if (isolated.Count > 0)
            return new("isolation", title, CheckStatus.Pass, $"{isolated.Count} CPUs isolated ({isolated})", null);
        return new("isolation", title, CheckStatus.Warn, "none: host tasks can run on the VM's pinned CPUs",
            "isolcpus=/nohz_full=/rcu_nocbs= with the VM's CPUs on the kernel command line, or restrict host tasks with systemd AllowedCPUs while the VM runs");
    }

    private static ReadinessCheck Gpus(IReadOnlyList<Gpu> gpus)
    {
        const string title = "a GPU that can be passed through";
        if (gpus.Count == 0) return new("gpu", title, CheckStatus.Warn, "no display device (class 03xx) found", null);
        var viable = gpus.Where(g => g.Viability.IsViable).ToList();
        var candidates = viable.Where(g => !g.BootVga).ToList();
        if (candidates.Count > 0)
            return new("gpu", title, CheckStatus.Pass, string.Join(", ", candidates.Select(g => g.Slot.ToString())) + " (viable IOMMU groups)", null);
        if (viable.Count > 0)
            return new("gpu", title, CheckStatus.Warn, $"only the boot GPU {viable[0].Slot} has a viable group",
                "passing the boot GPU needs the host console off it (video=efifb:off) and often its ROM dumped; a second GPU is easier");
        if (gpus.All(g => g.Viability.Verdict == Viability.Unknown))
            return new("gpu", title, CheckStatus.Fail, "no IOMMU groups to pass a GPU with", "turn the IOMMU on (see the IOMMU check)");
        return new("gpu", title, CheckStatus.Fail, "every GPU shares an IOMMU group with other devices",
            "move the card to another slot (one wired to the CPU), or pass the other devices too");
    }
}
