using System.Globalization;
using VfioKit.Diagnostics;
using VfioKit.Host;
using VfioKit.Pci;
using VfioKit.Planning;
using VfioKit.Vm;

namespace VfioKit.Generation;

/// <summary>
/// Turns a <see cref="VmRequest"/> into a <see cref="VmBlueprint"/> for one host: resolves the GPUs and devices,
/// refuses what cannot work (non-viable IOMMU group, the boot GPU) unless forced, plans vCPUs and memory per host NUMA
/// node of the GPUs, and lays out the PCIe tree: one pcie-root-port per host device advertising the host link, the
/// device's functions behind it at their host function numbers, one pxb-pcie per host node when the GPUs are on several.
/// </summary>
public static class VmBlueprintBuilder
{
    private const int FirstRootSlot = 0x02;   // 00:00 host bridge, 00:01 kept free for a video device (libvirt's habit)
    private const int ChipsetSlot = 0x1f;     // ICH9 LPC/SATA/SMBus

    /// <param name="machineType">pc-q35-X.Y (>= 4.0) or "q35" (<see cref="QemuMachineTypes.Query"/>).</param>
    /// <param name="firmware">OVMF paths on the machine that runs the VM (<see cref="OvmfFirmware.Find"/>); ignored for SeaBIOS.</param>
    public static VmBlueprint Build(HostModel host, VmRequest request, string machineType, OvmfFirmware firmware)
    {
        var notes = new List<string>();
        VmNames.Check(request.Name);
        if (request.Vcpus < 1) throw new InputException("--vcpus", "the number of vCPUs must be at least 1");
        if (request.MemoryBytes < 64L << 20) throw new InputException("--memory", "guest memory must be at least 64M");
        if (request.Gpus.Count == 0) throw new InputException("--gpu", "give at least one GPU (a slot such as 0000:0b:00, or a function)");

        var passed = new List<(PhysicalSlot Slot, IReadOnlyList<PciAddress> Functions, bool IsGpu, Gpu? Gpu)>();
        foreach (var text in request.Gpus) passed.Add(ResolveGpu(host, text, request, notes));
        foreach (var text in request.Devices ?? []) passed.Add(ResolveDevice(host, text));
        var duplicate = passed.SelectMany(p => p.Functions).GroupBy(a => a).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InputException("--gpu", $"{duplicate.Key} is given twice (a slot passes all its functions)");
        CheckGroups(host, passed, request, notes);

        // One guest NUMA node per host node holding a GPU: vCPUs and memory split evenly, each half planned on its node.
        var gpuNodes = passed.Where(p => p.IsGpu).Select(p => p.Gpu!.NumaNode ?? -1).ToList();
        var hostNodes = gpuNodes.Where(n => n >= 0).Distinct().Order().ToList();
        var cells = Plan(host, request, gpuNodes, hostNodes, notes);

        var links = passed.Select(p => LinkOf(host, p.Functions[0])).ToList();
        var known = links.OfType<PciLink>().Where(l => l.IsKnown).ToList();
        PciLink? portLink = known.Count == 0 ? null : new PciLink(known.Max(l => l.Speed), known.Max(l => l.Width));
        if (portLink is null) notes.Add("the host link of the GPU is unknown (run as root so the config space is readable): the root ports keep QEMU's default, 16GT/s x32");

        var machine = Machine.TryParseType(machineType, out var family, out var version) && family == MachineFamily.Q35
            ? new Machine(MachineFamily.Q35, version, machineType, ValueList<MachineOption>.Empty)
            : throw new InputException("--machine", $"'{machineType}' is not a q35 machine type");

        var layout = new PcieLayout(cells.Count > 1);
        var expanders = new Dictionary<int, string>();
        if (cells.Count > 1)
            foreach (var cell in cells)
                expanders[cell.HostNode] = layout.AddExpander(cell.GuestNode);

        var slots = new List<PassedSlot>();
        var hostdev = 0;
        for (var i = 0; i < passed.Count; i++)
        {
            var (slot, functions, isGpu, gpu) = passed[i];
            var node = isGpu ? gpu!.NumaNode : host.Function(functions[0])?.NumaNode;
            var bus = node is { } n && expanders.TryGetValue(n, out var pxb) ? pxb : "pcie.0";
            var port = layout.AddRootPort(bus, portLink);
            var single = functions.Count == 1;
            foreach (var f in functions)
            {
                layout.Add(new VmDevice
                {
                    Driver = "vfio-pci",
                    Id = "hostdev" + I(hostdev++),
                    Bus = port,
                    // Function numbers mirror the host (drivers pair the GPU with its audio by them); a lone function sits at 0.
                    Address = new GuestAddress(0, single ? 0 : f.Function),
                    Multifunction = !single && f.Function == 0,
                    Passthrough = new PassthroughSettings(HostSource.FromHost(f.ToString())),
                });
            }
            slots.Add(new PassedSlot(slot.Slot, functions, port, links[i], node, isGpu, host.Function(functions[0])?.VendorId));
        }

        VmDisk? disk = null;
        if (request.DiskPath is not null || request.DiskSizeBytes is not null)
        {
            var port = layout.AddRootPort("pcie.0", portLink);
            var path = request.DiskPath ?? $"/var/lib/vfiokit/{VmNames.Safe(request.Name)}/disk.qcow2";
            disk = new VmDisk(path, request.DiskPath is null ? request.DiskSizeBytes : null, port);
            layout.Add(new VmDevice { Driver = "virtio-blk-pci", Id = "virtio-disk0", Bus = port, Address = new GuestAddress(0, 0), Properties = new([new("drive", "drive-virtio-disk0")]) });
        }
        var nicPort = layout.AddRootPort("pcie.0", portLink);
        layout.Add(new VmDevice { Driver = "virtio-net-pci", Id = "net0", Bus = nicPort, Address = new GuestAddress(0, 0), Properties = new([new("netdev", "hostnet0")]) });

        LookingGlassMemory? lg = null;
        var lgSlot = 0;
        if (request.LookingGlass is { } resolution)
        {
            lg = LookingGlassMemory.For(resolution, host.Modules.Has("kvmfr"));
            lgSlot = layout.NextRootSlot();
            // ivshmem is a conventional PCI device: an integrated device on pcie.0, at a slot nothing else uses.
            layout.Add(new VmDevice { Driver = "ivshmem-plain", Id = "shmem0", Bus = "pcie.0", Address = new GuestAddress(lgSlot, 0), Properties = new([new("memdev", "looking-glass")]) });
        }

        if (request.Firmware == FirmwareKind.Ovmf && !firmware.Found)
            notes.Add($"no OVMF found on this machine (looked in {string.Join(", ", OvmfFirmware.Locations.Select(l => l.Code))}): install ovmf (Debian/Ubuntu), edk2-ovmf (Fedora, Arch)");
        var topology = new VmTopology(machine, new ValueList<VmDevice>(layout.Devices)) { Defaults = DefaultDevices.None };
        return new VmBlueprint(request, topology, slots, cells, portLink, request.Firmware == FirmwareKind.Ovmf ? firmware : null,
            lg, lgSlot, disk, nicPort, VmNames.Safe(request.Name), notes);
    }

    private static (PhysicalSlot, IReadOnlyList<PciAddress>, bool, Gpu?) ResolveGpu(HostModel host, string text, VmRequest request, List<string> notes)
    {
        var (slot, function) = ParseSlotOrFunction("--gpu", text);
        var physical = host.Slots.FirstOrDefault(s => s.Slot == slot)
            ?? throw new InputException("--gpu", $"no PCI device {slot} on this host ({host.Root}); `vfiokit host` lists the GPUs");
        var gpu = host.Gpus.FirstOrDefault(g => g.Slot == slot)
            ?? throw new InputException("--gpu", $"{slot} is not a GPU (no display function); pass other devices with --device");
        if (gpu.BootVga)
        {
            if (!request.Force)
                throw new InputException("--gpu", $"{slot} is the boot GPU: the host console and firmware use it. Move the console to another GPU (video=efifb:off) or pass --force");
            notes.Add($"{slot} is the boot GPU (--force): keep the host console off it (video=efifb:off) and consider a ROM file");
        }
        IReadOnlyList<PciAddress> functions = function is { } f
            ? physical.Functions.Any(x => x.Address == f) ? [f] : throw new InputException("--gpu", $"no function {f} on this host")
            : [.. physical.Functions.Select(x => x.Address).Order()];
        return (physical, functions, true, gpu);
    }

    private static (PhysicalSlot, IReadOnlyList<PciAddress>, bool, Gpu?) ResolveDevice(HostModel host, string text)
    {
        if (!PciAddress.TryParse(text, out var address))
            throw new InputException("--device", $"'{text}' is not a PCI function (e.g. 0000:0c:00.0)");
        var function = host.Function(address) ?? throw new InputException("--device", $"no PCI function {address} on this host ({host.Root})");
        if (function.IsBridge) throw new InputException("--device", $"{address} is a bridge or PCIe port: it stays with the host");
        return (new PhysicalSlot(address.Slot, [function]), [address], false, null);
    }

    private static (PciSlot Slot, PciAddress? Function) ParseSlotOrFunction(string option, string text)
    {
        if (PciAddress.TryParse(text, out var a)) return (a.Slot, a);
        if (PciSlot.TryParse(text, out var s)) return (s, null);
        throw new InputException(option, $"'{text}' is not a PCI slot (0000:0b:00) or function (0000:0b:00.0)");
    }

    /// <summary>Every endpoint sharing an IOMMU group with a passed function must be passed too.</summary>
    private static void CheckGroups(HostModel host, List<(PhysicalSlot Slot, IReadOnlyList<PciAddress> Functions, bool IsGpu, Gpu? Gpu)> passed, VmRequest request, List<string> notes)
    {
        var given = passed.SelectMany(p => p.Functions).ToHashSet();
        foreach (var (slot, _, isGpu, gpu) in passed)
        {
            if (!isGpu) continue;
            var viability = gpu!.Viability;
            if (viability.Verdict == Viability.Unknown)
            {
                notes.Add($"{slot.Slot}: IOMMU groups unknown (IOMMU off?): passthrough needs intel_iommu=on or amd_iommu=on");
                continue;
            }
            var missing = viability.MustGoAlong.Where(a => !given.Contains(a)).ToList();
            // A slot's own functions count as "along" only when the user gave one function of it.
            missing.AddRange(slot.Functions.Select(f => f.Address).Where(a => !given.Contains(a) && host.Function(a)?.IommuGroup is { } g && viability.Groups.Contains(g)));
            missing = [.. missing.Distinct().Order()];
            if (missing.Count == 0) continue;
            var list = string.Join(", ", missing.Select(a => $"{a} ({host.Function(a)?.Description ?? "?"})"));
            if (!request.Force)
                throw new InputException("--gpu", $"{slot.Slot}: its IOMMU group(s) {string.Join(",", viability.Groups)} also hold {list}: pass them too (--device) or fix the grouping (another slot, ACS); --force writes the VM anyway");
            notes.Add($"{slot.Slot}: --force with IOMMU group members left on the host ({list}): vfio will refuse to start the VM until they are bound to vfio-pci too");
        }
    }

    private static IReadOnlyList<GuestCell> Plan(HostModel host, VmRequest request, List<int> gpuNodes, List<int> hostNodes, List<string> notes)
    {
        if (hostNodes.Count <= 1)
        {
            var plan = CpuPlanner.Plan(host.Cpu, new PlanRequest(request.Vcpus, gpuNodes, request.MemoryBytes, null, request.HugePages, 1));
            notes.AddRange(plan.Reasons);
            return [new GuestCell(0, plan.Memory.Nodes[0], plan, 0)];
        }
        var n = hostNodes.Count;
        if (request.Vcpus % n != 0)
            throw new InputException("--vcpus", $"the GPUs are on {n} host NUMA nodes ({string.Join(", ", hostNodes)}): give a vCPU count divisible by {n}, one share per node");
        var memory = request.MemoryBytes / n / (2L << 20) * (2L << 20);
        var cells = new List<GuestCell>();
        foreach (var node in hostNodes)
        {
            var plan = CpuPlanner.Plan(host.Cpu, new PlanRequest(request.Vcpus / n, [node], memory, null, request.HugePages, 1));
            notes.AddRange(plan.Reasons.Select(r => $"node {I(node)}: {r}"));
            cells.Add(new GuestCell(cells.Count, node, plan, cells.Sum(c => c.Vcpus)));
        }
        return cells;
    }

    private static PciLink? LinkOf(HostModel host, PciAddress function) =>
        host.Function(function)?.HostLink is { IsKnown: true } link ? link : null;

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}
