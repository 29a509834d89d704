using VfioKit.Files;
using VfioKit.Host.Cpu;
using VfioKit.Pci;

namespace VfioKit.Host;

/// <summary>The host's facts from a directory tree: `/` (this machine) or a snapshot of one, read through
/// <see cref="SysfsRoot"/> (so `vfiokit snapshot` records what was read).</summary>
public sealed class DirectoryHostSource(SysfsRoot root) : IHostSource
{
    public HostFacts Read()
    {
        var notes = new List<string>();
        var functions = ReadFunctions(notes);
        var groups = IommuGroupReader.Read(root, notes);
        var hugepages = HugepageReader.Read(root, notes);
        var cmdline = ProcReader.CommandLine(root, notes);
        var memory = ProcReader.Memory(root, notes);
        var modules = ProcReader.Modules(root, notes);
        var cpu = CpuTopologyReader.Read(new SysfsText(root));
        return new HostFacts(root.Root, functions, groups, hugepages, cmdline, memory, modules, cpu, notes);
    }

    private IReadOnlyList<PciFunction> ReadFunctions(List<string> notes)
    {
        if (!root.TryList(PciFunctionReader.DevicesDirectory, out var entries))
        {
            notes.Add($"{PciFunctionReader.DevicesDirectory} unreadable: no PCI devices known");
            return [];
        }
        var addresses = new List<PciAddress>();
        foreach (var entry in entries)
        {
            if (PciAddress.TryParse(entry, out var a)) addresses.Add(a);
            else notes.Add($"{PciFunctionReader.DevicesDirectory}/{entry}: not a PCI address");
        }
        addresses.Sort();
        var functions = addresses.Select(a => PciFunctionReader.Read(root, a, notes)).ToList();
        return NameFunctions(CardSwitch.WithSlotLinks(functions));
    }

    private List<PciFunction> NameFunctions(List<PciFunction> functions)
    {
        var wanted = functions.Where(f => f.VendorId is not null && f.DeviceId is not null)
            .Select(f => (f.VendorId!.Value, f.DeviceId!.Value)).Distinct().ToList();
        if (wanted.Count == 0) return functions;
        foreach (var location in PciIds.Locations)
        {
            var scanner = new PciIdsScanner(wanted);
            if (!root.TryStream(location, chunk => { scanner.Feed(chunk); return !scanner.Done; })) continue;
            var names = scanner.Finish();
            return functions.Select(f => f with { VendorName = names.Vendor(f.VendorId), DeviceName = names.Device(f.VendorId, f.DeviceId) }).ToList();
        }
        return functions;
    }
}
