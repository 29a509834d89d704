using System.Globalization;
using VfioKit.Diagnostics;
using VfioKit.Formats.Proxmox;
using VfioKit.Vm;

namespace VfioKit.Rules;

/// <summary>Tuning facts of a qemu-server config, with what qemu-server adds by itself (PVE::QemuServer::CPUConfig).</summary>
public static class ProxmoxTuningReader
{
    public static VmTuning Read(ProxmoxConfig config)
    {
        var ostype = config.Value("ostype");
        var winVersion = ProxmoxOsType.WindowsVersion(ostype);
        var cpu = config.Entry("cpu");
        var cpuParts = (cpu?.Value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var model = cpuParts.FirstOrDefault(p => !p.Contains('=')) ?? cpuParts.FirstOrDefault(p => p.StartsWith("cputype=", StringComparison.Ordinal))?[8..];
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in cpuParts.Where(p => p.Contains('=')))
        {
            // qemu-server's parse_property_string dies on a repeated key: so does vfiokit, with the line.
            if (!options.TryAdd(p[..p.IndexOf('=')], p[(p.IndexOf('=') + 1)..]))
                throw new InputException(config.Path, cpu!.Number, 1, $"cpu: duplicate key '{p[..p.IndexOf('=')]}' (qemu-server refuses it: duplicate key in comma-separated list property)");
        }
        var features = new HashSet<string>(StringComparer.Ordinal);
        if (options.TryGetValue("flags", out var flags))
            foreach (var f in flags.Split(';', StringSplitOptions.RemoveEmptyEntries))
                if (f.StartsWith('+')) features.Add(f[1..]);

        // qemu-server's add_hyperv_enlightenments: none below Windows 7 class (or with OVMF below Windows 8),
        // spinlocks/vapic/time/reset/vpindex/runtime from Vista on, relaxed/synic/stimer/ipi from Windows 7 on.
        var hyperV = new HashSet<string>(StringComparer.Ordinal);
        var uefi = config.IsUefi;
        if (winVersion >= 6 && !(uefi && winVersion < 8))
        {
            hyperV.UnionWith(["spinlocks", "vapic", "time", "reset", "vpindex", "runtime"]);
            if (winVersion >= 7) hyperV.UnionWith(["relaxed", "synic", "stimer", "ipi"]);
        }
        string? windows = winVersion > 0 ? $"ostype: {ostype}" : null;

        var vcpus = Int(config.Value("vcpus")) is { } v
            ? VcpuCount.Checked(v, config.Path, config.Entry("vcpus")!.Number, 1, "vcpus:")
            : VcpuCount.Checked((long)(Int(config.Value("sockets")) ?? 1) * (Int(config.Value("cores")) ?? 1), config.Path,
                (config.Entry("cores") ?? config.Entry("sockets"))?.Number, 1, "sockets x cores:");
        var hugepages = config.Entry("hugepages");
        var affinity = config.Entry("affinity");
        var vcpuSet = VmTuning.Cpus(affinity?.Value);

        var shm = new List<SharedMemory>();
        if (config.Entry("ivshmem") is { } ivshmem)
        {
            var o = ParseOptions(ivshmem.Value ?? "");
            var sizeMiB = o.TryGetValue("size", out var s) ? Int(s) : null;
            if (sizeMiB is { } mib)
                shm.Add(new SharedMemory(o.GetValueOrDefault("name") ?? "ivshmem", mib * 1024L * 1024, ivshmem.Number, "/dev/shm/pve-shm-" + (o.GetValueOrDefault("name") ?? "VMID")));
        }

        var tuning = new VmTuning
        {
            Uefi = uefi,
            WindowsEvidence = windows,
            HyperV = hyperV,
            KvmHidden = options.TryGetValue("hidden", out var hidden) && HostPci.IsTrue(hidden),
            VendorIdSpoofed = options.ContainsKey("hv-vendor-id"),
            // qemu-server's default CPU model is kvm64 (x86-64-v2-AES since Proxmox VE 8).
            CpuModel = model ?? "kvm64",
            CpuFeatures = features,
            ThreadsPerCore = 1,
            Vcpus = vcpus,
            CpuLine = cpu?.Number ?? 0,
            HyperVLine = config.Entry("ostype")?.Number ?? 0,
            HugePages = hugepages is not null && hugepages.Value is not ("" or null),
            // qemu-server allocates hugepages up front for the VM's lifetime.
            Preallocated = hugepages is not null,
            MemoryLine = config.Entry("memory")?.Number ?? 0,
            VcpuSet = vcpuSet,
            PinningLine = affinity?.Number ?? 0,
            SharedMemories = shm,
        };
        // `args:` is passed to QEMU after qemu-server's own options, as is.
        return AppendedTuning.Apply(tuning, ProxmoxArgs.Read(config), "args:", "qemu-server's -cpu");
    }

    private static Dictionary<string, string> ParseOptions(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(p => p.Contains('='))
            .GroupBy(p => p[..p.IndexOf('=')])
            .ToDictionary(g => g.Key, g => g.Last()[(g.Last().IndexOf('=') + 1)..]);

    private static int? Int(string? s) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
}
