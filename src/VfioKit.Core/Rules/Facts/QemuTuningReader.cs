using System.Globalization;
using VfioKit.Fixing.Qemu;
using VfioKit.Formats.Qemu;
using VfioKit.Vm;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Rules;

/// <summary>Tuning facts of a QEMU command line: -cpu, -smp, -machine, memory options, firmware, ivshmem.</summary>
public static partial class QemuTuningReader
{
    /// <param name="ownFile">True for a launch script read as a file of its own (its name is a sign of the guest);
    /// false for options appended to a generated command line (libvirt's, qemu-server's file names say nothing).</param>
    public static VmTuning Read(QemuScript script, bool ownFile = false)
    {
        var cpu = script.All("cpu").LastOrDefault();
        var cpuOptions = QemuOptionList.Parse(cpu?.Value?.Text ?? "");
        var hyperV = new HashSet<string>(StringComparer.Ordinal);
        var features = new HashSet<string>(StringComparer.Ordinal);
        var kvmHidden = false;
        var vendorId = false;
        var hypervisorOff = false;
        foreach (var (key, value) in cpuOptions.Items.Skip(cpuOptions.Head is null ? 0 : 1))
        {
            var flag = key is null ? value : $"{key}={value}";
            if (HyperVEnlightenments.FromQemuFlag(flag) is { } hv)
            {
                if (hv == "vendor_id") vendorId = true;
                else hyperV.Add(hv);
                continue;
            }
            if (key == "kvm" && value == "off") kvmHidden = true;
            else if ((key == "hypervisor" && value is "off" or "false" or "no") || (key is null && value == "-hypervisor")) hypervisorOff = true;
            else if (key is null && value.StartsWith('+')) features.Add(value[1..]);
            else if (key is not null && value is "on" or "true") features.Add(key);
        }

        var machine = script.All("machine", "M").LastOrDefault();
        var machineOptions = QemuOptionList.Parse(machine?.Value?.Text ?? "");
        var smp = script.All("smp").LastOrDefault();
        var smpOptions = QemuOptionList.Parse(smp?.Value?.Text ?? "1");
        var vcpus = VcpuCount.Checked(Int(smpOptions.Head) ?? Int(smpOptions.Get("cpus")) ?? 1, script.Path, smp?.Option.Line, null, "-smp");
        var threads = Int(smpOptions.Get("threads")) ?? 1;

        var objects = script.All("object").Where(a => a.Value is not null)
            .Select(a => (Arg: a, Options: QemuOptionList.Parse(a.Value!.Text))).ToList();
        var devices = script.All("device").Where(a => a.Value is not null)
            .Select(a => (Arg: a, Options: DeviceOptions.Parse(a.Value!.Text))).ToList();

        var memPath = script.All("mem-path").LastOrDefault()?.Value?.Text;
        var hugepages = memPath is not null && memPath.Contains("huge", StringComparison.OrdinalIgnoreCase)
            || objects.Any(o => o.Options.Head == "memory-backend-file" && (o.Options.Get("mem-path") ?? "").Contains("huge", StringComparison.OrdinalIgnoreCase) && !IsShared(o.Options, devices))
            || objects.Any(o => o.Options.Head == "memory-backend-memfd" && o.Options.Get("hugetlb") == "on");
        var prealloc = script.All("mem-prealloc").Any()
            || objects.Any(o => o.Options.Head?.StartsWith("memory-backend", StringComparison.Ordinal) == true && o.Options.Get("prealloc") == "on" && !IsShared(o.Options, devices));
        var locked = script.All("overcommit").Any(a => (a.Value?.Text ?? "").Contains("mem-lock=on", StringComparison.Ordinal))
            || script.All("realtime").Any(a => (a.Value?.Text ?? "").Contains("mlock=on", StringComparison.Ordinal));

        var shm = new List<SharedMemory>();
        foreach (var (arg, dev) in devices)
        {
            if (dev.Driver is not ("ivshmem-plain" or "ivshmem")) continue;
            var memdev = dev.Get("memdev");
            var backend = objects.FirstOrDefault(o => o.Options.Get("id") == memdev);
            if (backend.Arg is not null && QemuSize.Parse(backend.Options.Get("size")) is { } size)
                shm.Add(new SharedMemory(memdev!, size, backend.Arg.Option.Line, backend.Options.Get("mem-path")));
            else if (QemuSize.Parse(dev.Get("size"), 1L << 20) is { } legacy)
                shm.Add(new SharedMemory(dev.Get("id") ?? "ivshmem", legacy, arg.Option.Line));
        }

        var firmware = script.All("bios", "pflash").Select(a => a.Value?.Text ?? "")
            .Concat(script.All("drive").Select(a => a.Value?.Text ?? "").Where(v => v.Contains("if=pflash", StringComparison.Ordinal)))
            .Concat(script.All("blockdev").Select(a => a.Value?.Text ?? ""));
        var uefi = firmware.Any(f => f.Contains("OVMF", StringComparison.OrdinalIgnoreCase) || f.Contains("edk2", StringComparison.OrdinalIgnoreCase));

        return new VmTuning
        {
            Uefi = uefi,
            WindowsEvidence = hyperV.Count > 0 || vendorId ? "Hyper-V flags on -cpu" : WindowsSigns(script, ownFile),
            MacOsEvidence = devices.Any(d => d.Options.Driver == "isa-applesmc") ? "an isa-applesmc device" : null,
            HyperV = hyperV,
            KvmHidden = kvmHidden,
            VendorIdSpoofed = vendorId,
            CpuModel = cpuOptions.Head,
            CpuFeatures = features,
            ThreadsPerCore = threads,
            Vcpus = vcpus,
            CpuLine = cpu?.Option.Line ?? 0,
            HyperVLine = cpu?.Option.Line ?? 0,
            HugePages = hugepages,
            Preallocated = prealloc,
            Locked = locked,
            MemoryLine = script.All("m").FirstOrDefault()?.Option.Line ?? 0,
            SharedMemories = shm,
            KernelIrqchip = machineOptions.Get("kernel-irqchip") ?? machineOptions.Get("kernel_irqchip"),
            IrqchipLine = machine?.Option.Line ?? 0,
            InterruptRemapping = devices.Any(d => d.Options.Driver == "intel-iommu" && d.Options.Get("intremap") == "on"),
            HypervisorBitOff = hypervisorOff,
            HypervisorLine = cpu?.Option.Line ?? 0,
            RemovedOptions = script.Arguments
                .Select(a => (Arg: a, Removed: QemuRemovedOptions.Find(a.Name, a.Value?.Text)))
                .Where(x => x.Removed is not null)
                .Select(x => new RemovedOptionUse(x.Removed!, x.Arg.Option.Text + (x.Arg.Value is { } v ? " " + v.Text : ""), x.Arg.Option.Line))
                .ToList(),
        };
    }

    /// <summary>
    /// A script without Hyper-V flags still shows a Windows guest: a Windows or virtio-win ISO, a -name such as
    /// "win10", or the script's own name ("windows.sh", "start-win11.sh"; -name is often a variable there).
    /// -rtc base=localtime (Windows keeps the RTC in local time) only backs one of those up.
    /// </summary>
    private static string? WindowsSigns(QemuScript script, bool ownFile)
    {
        var signs = new List<string>();
        var scriptName = Path.GetFileName(script.Path);
        if (ownFile && scriptName is not ("" or "-") && WindowsName().IsMatch(Path.GetFileNameWithoutExtension(scriptName)))
            signs.Add($"script {scriptName}");
        var name = QemuOptionList.Parse(script.All("name").LastOrDefault()?.Value?.Text ?? "");
        var vmName = name.Head ?? name.Get("guest");
        if (vmName is not null && WindowsName().IsMatch(vmName)) signs.Add($"-name {vmName}");
        var media = script.All("cdrom", "hda", "hdb", "hdc", "hdd").Select(a => a.Value?.Text ?? "")
            .Concat(script.All("drive", "blockdev").Select(a => QemuOptionList.Parse(a.Value?.Text ?? "")).Select(o => o.Get("file") ?? o.Get("filename") ?? ""));
        foreach (var file in media)
        {
            var leaf = file[(file.LastIndexOf('/') + 1)..];
            if (leaf.Contains("virtio-win", StringComparison.OrdinalIgnoreCase)) signs.Add($"virtio-win media {leaf}");
            else if (leaf.EndsWith(".iso", StringComparison.OrdinalIgnoreCase) && WindowsName().IsMatch(leaf)) signs.Add($"Windows ISO {leaf}");
        }
        if (signs.Count == 0) return null;
        if (script.All("rtc").Any(a => QemuOptionList.Parse(a.Value?.Text ?? "").Get("base") == "localtime")) signs.Add("-rtc base=localtime");
        return string.Join(", ", signs.Distinct());
    }

    /// <summary>"win10", "Win11_23H2_English_x64.iso", "windows-server-2022", "w10"; not "darwin" or "winehq".</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"(?i)(?<![a-z])(win(dows)?[-_ ]?(xp|vista|7|8|8\.1|10|11|server|srv|20\d\d)|windows|w1[01])(?![a-z])")]
    private static partial System.Text.RegularExpressions.Regex WindowsName();

    /// <summary>A backend used by ivshmem is Looking Glass' shared memory, not guest RAM.</summary>
    private static bool IsShared(QemuOptionList backend, List<(QemuArgument Arg, DeviceOptions Options)> devices) =>
        devices.Any(d => d.Options.Get("memdev") == backend.Get("id") && d.Options.Driver is "ivshmem-plain" or "ivshmem-doorbell");

    private static int? Int(string? s) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
}
