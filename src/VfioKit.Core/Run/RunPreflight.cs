using VfioKit.Files;
using VfioKit.Host;
using VfioKit.Host.Cpu;
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
        var host = HostModel.Read(new SysfsRoot(files.Root));
        var functions = host.PciFunctions.ToDictionary(f => f.Address);
        var passing = new List<PciFunction>();
        foreach (var address in request.Functions)
        {
            if (!functions.TryGetValue(address, out var function) || function.VendorId is null)
            {
                problems.Add($"{address} is not on this host: check the address with `vfiokit host`");
                continue;
            }
            if (function.BootVga == true && !force)
                problems.Add($"{address} is the boot GPU (boot_vga=1): the host's console is on it; pass --force if the host can do without it");
            if (function.IommuGroup is null)
            {
                problems.Add($"{address} is in no IOMMU group: turn the IOMMU on (intel_iommu=on or amd_iommu=on, and in the firmware)");
                continue;
            }
            passing.Add(function);
        }
        // The host model's judge; a member already bound to vfio-pci does not hold the group with the host.
        foreach (var member in ViabilityJudge.Judge(passing, host.IommuGroups, functions).MustGoAlong)
        {
            var driver = functions.GetValueOrDefault(member)?.Driver;
            if (driver == HostChangePlanner.VfioPci) continue;
            var group = host.IommuGroups.First(g => g.Devices.Contains(member));
            var address = passing.First(f => f.IommuGroup == group.Number).Address;
            problems.Add($"IOMMU group {group.Number} of {address} also holds {member} ({driver ?? "no driver"}): pass it to the VM too, or move the card to a slot with its own group");
        }
        problems.AddRange(HugePages(files, request));
        return problems.Distinct().ToList();
    }

    /// <summary>
    /// The huge pages QEMU needs are free on the GPU's node, or what is missing fits in the node's free memory
    /// (MemFree of its meminfo; /proc/meminfo for the global pool). Fragmented memory can still grant fewer:
    /// the read-back after the write catches that and undoes everything.
    /// </summary>
    public static IReadOnlyList<string> HugePages(IHostFiles files, RunRequest request)
    {
        if (request.HugePages is not { } demand) return [];
        var node = HostChangePlanner.NodeOf(files, request);
        var pool = HostChangePlanner.PoolOf(node, demand.PageKiB);
        var where = node is { } n ? $"NUMA node {n} (the GPU's)" : "the host";
        if (HostChangePlanner.Number(files, $"{pool}/nr_hugepages") is null)
            return [$"{where} has no {demand.PageKiB} KiB huge pages (/{pool} is missing): use a page size the host has, or boot with hugepagesz={demand.PageKiB / 1024}M"];
        var free = HostChangePlanner.Number(files, $"{pool}/free_hugepages") ?? 0;
        var lacking = demand.Pages - free;
        if (lacking <= 0) return [];
        if (FreeKiB(files, node) is not { } freeKiB) return [];
        var reservable = freeKiB / demand.PageKiB;
        if (reservable >= lacking) return [];
        return [$"QEMU needs {demand.Pages} huge pages of {demand.PageKiB} KiB on {where}: {free} are free and {freeKiB / 1024} MiB of free memory " +
            $"makes at most {reservable} more, {lacking - reservable} short; free memory there, or reserve them at boot " +
            $"(kernel command line hugepagesz={demand.PageKiB / 1024}M hugepages=N, or /{pool}/nr_hugepages early)"];
    }

    /// <summary>MemFree in KiB of a node (its meminfo) or of the host (/proc/meminfo), read by the host model's parsers.</summary>
    private static long? FreeKiB(IHostFiles files, int? node) => node is { } n
        ? files.ReadText($"sys/devices/system/node/node{n}/meminfo") is { } nodeText ? NodeMemInfo.Parse(nodeText).MemFreeKiB : null
        : files.ReadText("proc/meminfo") is { } text ? MemInfo.Parse(text).MemFreeKb : null;
}
