using System.Globalization;
using VfioKit.Diagnostics;
using VfioKit.Formats.Libvirt;
using VfioKit.Host.Cpu;

namespace VfioKit.Run;

/// <summary>
/// Reads a <see cref="RunRequest"/> from a libvirt domain (as the qemu hook gets it on stdin): the PCI hostdevs,
/// &lt;memory&gt; when &lt;memoryBacking&gt;&lt;hugepages/&gt; is set, and the CPUs of &lt;cputune&gt;'s
/// vcpupin/emulatorpin/iothreadpin. Binding is left to libvirt (managed='yes'); the steps planned from this
/// request therefore carry no driver bindings.
/// </summary>
public static class LibvirtRunConfig
{
    public static RunRequest Read(DomainXml domain)
    {
        var name = domain.Name ?? throw new InputException(domain.Origin, "the domain has no <name>");
        if (!RunRequest.IsValidName(name)) throw new InputException(domain.Origin, $"domain name \"{name}\" cannot name a journal");
        var functions = LibvirtTopology.Read(domain).Devices.Where(d => d.IsPassthrough && d.HostAddress is not null)
            .Select(d => d.HostAddress!.Value).Distinct().Order().ToList();

        HugePageDemand? pages = null;
        if (domain.MemoryBacking is { Hugepages: true } backing)
        {
            var pageKiB = 2048L;
            if (backing.Pages.FirstOrDefault() is { Size: { } size } page && long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                && MemoryUnit.ToBytes(n, page.Unit ?? "KiB") is { } bytes) pageKiB = bytes / 1024;
            var memory = domain.Root.Element("memory");
            if (memory is null || !long.TryParse(memory.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
                || MemoryUnit.ToBytes(amount, memory.Attribute("unit")?.Value ?? "KiB") is not { } total)
                throw new InputException(domain.Origin, "<memory> missing or not a number");
            pages = new HugePageDemand(pageKiB, (total / 1024 + pageKiB - 1) / pageKiB);
        }

        CpuList? cpus = null;
        if (domain.Cputune is { } tune)
        {
            // Not emulatorpin: the emulator thread usually shares the host's housekeeping CPUs on purpose.
            var sets = tune.VcpuPins.Select(p => p.Cpuset).Concat(tune.IothreadPins.Select(p => p.Cpuset));
            foreach (var set in sets.Where(s => s.Length > 0))
            {
                if (!CpuList.TryParse(set, out var list)) throw new InputException(domain.Origin, $"cputune cpuset \"{set}\" is not a CPU list");
                cpus = cpus is null ? list : cpus.Union(list);
            }
        }
        return new RunRequest(name, functions, pages, cpus, []);
    }
}
