using VfioKit.Pci;

namespace VfioKit.Run;

/// <summary>
/// Checks, changing nothing, that a request can be carried out: each function exists, vfio-pci is loaded, each
/// IOMMU group holds only passed functions, bridges or devices already on vfio-pci, and no function is the boot
/// GPU (the console) unless forced. Each problem says what to do.
/// </summary>
public static class RunPreflight
{
    public static IReadOnlyList<string> Check(IHostFiles files, RunRequest request, bool force, bool bind = true)
    {
        var problems = new List<string>();
        if (bind && request.Functions.Count > 0 && !Directory.Exists(Path.Combine(files.Root, "sys/bus/pci/drivers", HostChangePlanner.VfioPci)))
            problems.Add("vfio-pci is not loaded: run `modprobe vfio-pci` (or add it to /etc/modules-load.d)");
        var passed = request.Functions.ToHashSet();
        foreach (var address in request.Functions)
        {
            var device = $"sys/bus/pci/devices/{address}";
            if (files.ReadText($"{device}/vendor") is null)
            {
                problems.Add($"{address} is not on this host: check the address with `vfiokit host`");
                continue;
            }
            if (files.ReadText($"{device}/boot_vga") == "1" && !force)
                problems.Add($"{address} is the boot GPU (boot_vga=1): the host's console is on it; pass --force if the host can do without it");
            var group = files.LinkName($"{device}/iommu_group");
            if (group is null)
            {
                problems.Add($"{address} is in no IOMMU group: turn the IOMMU on (intel_iommu=on or amd_iommu=on, and in the firmware)");
                continue;
            }
            var members = Path.Combine(files.Root, "sys/kernel/iommu_groups", group, "devices");
            if (!Directory.Exists(members)) continue;
            foreach (var entry in Directory.EnumerateFileSystemEntries(members).Select(Path.GetFileName).Order(StringComparer.Ordinal))
            {
                if (!PciAddress.TryParse(entry, out var member) || passed.Contains(member)) continue;
                var driver = files.LinkName($"sys/bus/pci/devices/{member}/driver");
                var isBridge = files.ReadText($"sys/bus/pci/devices/{member}/class")?.StartsWith("0x0604", StringComparison.Ordinal) == true;
                if (isBridge || driver == HostChangePlanner.VfioPci) continue;
                problems.Add($"IOMMU group {group} of {address} also holds {member} ({driver ?? "no driver"}): pass it to the VM too, or move the card to a slot with its own group");
            }
        }
        return problems.Distinct().ToList();
    }
}
