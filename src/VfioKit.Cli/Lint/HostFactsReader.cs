using System.Globalization;
using VfioKit.Host;
using VfioKit.Host.Cpu;
using VfioKit.Pci;
using VfioKit.Rules;
using VfioKit.Files;

namespace VfioKit.Cli.Lint;

/// <summary>Reads the host facts the --host rules need from a root directory (`/` or a host snapshot), once.</summary>
internal static class HostFactsReader
{
    /// <summary>IORESOURCE_IO in the flags column of sysfs' `resource` file (include/linux/ioport.h).</summary>
    private const long IoResource = 0x100;

    public static IHostFacts Read(string root)
    {
        var sysfs = new SysfsRoot(root);
        var host = HostModel.Read(sysfs);
        var cpus = CpuTopologyReader.Read(root);
        var ioBars = new HashSet<PciAddress>();
        foreach (var f in host.PciFunctions)
            if (sysfs.TryReadText($"sys/bus/pci/devices/{f.Address}/resource", out var text) && HasIoBar(text))
                ioBars.Add(f.Address);
        return new HostModelFacts(host, cpus, ioBars);
    }

    /// <summary>Each line is "start end flags" in hex; the first six lines are the BARs.</summary>
    public static bool HasIoBar(string resource) =>
        resource.Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(6).Any(line =>
        {
            var parts = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts.Length == 3 && long.TryParse(parts[2].Replace("0x", ""), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var flags)
                && (flags & IoResource) != 0;
        });
}
