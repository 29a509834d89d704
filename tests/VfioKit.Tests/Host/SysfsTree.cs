using System.Globalization;
using VfioKit.Pci;

namespace VfioKit.Tests.Host;

/// <summary>
/// Builds a sysfs/procfs tree in a temporary directory, laid out as the kernel lays it out (device
/// directories under sys/devices, relative symlinks from sys/bus/pci/devices, driver and iommu_group links,
/// sys/kernel/iommu_groups/N/devices links). Only for what QEMU cannot produce: host drivers such as nvidia,
/// a group shared with another endpoint, specific vendor ids. Config bytes come from real QEMU dumps.
/// </summary>
public sealed class SysfsTree : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("vfiokit-sysfs-").FullName;

    public sealed record Function(string Address)
    {
        public int Vendor { get; init; }
        public int Device { get; init; }
        public int Class { get; init; }
        public byte[]? Config { get; init; }
        public string? Driver { get; init; }
        public int? Group { get; init; }
        public string NumaNode { get; init; } = "-1";
        public string? ResetMethod { get; init; }
        public string? BootVga { get; init; }
        public string? MaxLinkSpeed { get; init; }
        public string? MaxLinkWidth { get; init; }
        /// <summary>The bridges above, topmost first: the device directory nests under theirs as the kernel nests it
        /// (sys/devices/pci0000:00/0000:00:01.1/0000:0a:00.0/...).</summary>
        public IReadOnlyList<string> Parents { get; init; } = [];
    }

    /// <summary>Config bytes of a function in the QEMU q35 dump committed with the decoder (a real guest's config
    /// space), with vendor and device ids replaced when given.</summary>
    public static byte[] RealConfig(string dumpAddress, int? vendor = null, int? device = null)
    {
        var entry = Dump.Value.Entries.Single(e => e.Address == PciAddress.Parse(dumpAddress));
        var bytes = entry.Config.Bytes.ToArray();
        if (vendor is { } v) { bytes[0] = (byte)v; bytes[1] = (byte)(v >> 8); }
        if (device is { } d) { bytes[2] = (byte)d; bytes[3] = (byte)(d >> 8); }
        return bytes;
    }

    private static readonly Lazy<LspciDump> Dump = new(() =>
        LspciDump.Load(Path.Combine(TestPaths.RepoRoot, "tests", "VfioKit.Tests", "Pci", "Dumps", "qemu-q35.txt")));

    public SysfsTree Add(Function f)
    {
        var dev = string.Join('/', ["sys/devices/pci0000:00", .. f.Parents, f.Address]);
        Write($"{dev}/vendor", $"0x{f.Vendor:x4}");
        Write($"{dev}/device", $"0x{f.Device:x4}");
        Write($"{dev}/class", $"0x{f.Class:x6}");
        Write($"{dev}/numa_node", f.NumaNode);
        Write($"{dev}/local_cpulist", "0-3");
        if (f.Config is { } config) WriteBytes($"{dev}/config", config);
        if (f.ResetMethod is { } reset) Write($"{dev}/reset_method", reset);
        if (f.BootVga is { } boot) Write($"{dev}/boot_vga", boot);
        if (f.MaxLinkSpeed is { } speed) Write($"{dev}/max_link_speed", speed);
        if (f.MaxLinkWidth is { } width) Write($"{dev}/max_link_width", width);
        Link($"sys/bus/pci/devices/{f.Address}", Relative($"sys/bus/pci/devices/{f.Address}", dev));
        if (f.Driver is { } driver)
        {
            Directory.CreateDirectory(Path.Combine(Root, "sys/bus/pci/drivers", driver));
            Link($"{dev}/driver", Relative($"{dev}/driver", $"sys/bus/pci/drivers/{driver}"));
        }
        if (f.Group is { } g)
        {
            Link($"{dev}/iommu_group", Relative($"{dev}/iommu_group", $"sys/kernel/iommu_groups/{g}"));
            Link($"sys/kernel/iommu_groups/{g}/devices/{f.Address}", Relative($"sys/kernel/iommu_groups/{g}/devices/{f.Address}", dev));
        }
        return this;
    }

    /// <summary>The relative target a link at <paramref name="link"/> needs to reach <paramref name="target"/> (both relative to the root).</summary>
    private static string Relative(string link, string target) => Path.GetRelativePath(Path.GetDirectoryName(link)!, target);

    public SysfsTree Write(string rel, string text)
    {
        var path = Path.Combine(Root, rel);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text + "\n");
        return this;
    }

    public SysfsTree WriteBytes(string rel, byte[] bytes)
    {
        var path = Path.Combine(Root, rel);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return this;
    }

    public SysfsTree Link(string rel, string target)
    {
        var path = Path.Combine(Root, rel);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.CreateSymbolicLink(path, target);
        return this;
    }

    /// <summary>A host ready for passthrough except for what a test changes: IOMMU on, vfio and KVM loaded, huge pages.</summary>
    public SysfsTree ReadyKernel(string cmdline = "BOOT_IMAGE=/vmlinuz root=/dev/sda1 intel_iommu=on iommu=pt")
    {
        Write("proc/cmdline", cmdline);
        Write("proc/modules", "vfio_pci 16384 0 - Live 0x0\nvfio_iommu_type1 45056 0 - Live 0x0\nkvm_intel 409600 0 - Live 0x0\nkvm 1146880 1 kvm_intel, Live 0x0");
        Write("proc/meminfo", "MemTotal:       32768000 kB\nMemAvailable:   30000000 kB\nHugePages_Total:       8\nHugepagesize:    1048576 kB");
        Write("sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages", "8");
        Write("sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages", "8");
        Write("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "0");
        Directory.CreateDirectory(Path.Combine(Root, "sys/kernel/iommu_groups"));
        return this;
    }

    public static string Hex(int v) => v.ToString("x4", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
