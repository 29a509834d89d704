using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using VfioKit.Host.Cpu;

namespace VfioKit.Host;

/// <summary>
/// The host part of libvirt's capabilities XML (virConnectGetCapabilities, docs/formatcaps.html) that vfiokit
/// uses: the CPU vendor, page sizes, NUMA cells (memory, pages per size, distances, CPUs with socket/die/core/
/// siblings), cache banks, and from the guest part whether domain type kvm is offered and the x86_64 pc-q35-X.Y machine types.
/// </summary>
public sealed record HostCapabilities(
    CpuVendor Vendor,
    IReadOnlyList<long> PageSizesKiB,
    IReadOnlyList<HostCapabilities.Cell> Cells,
    IReadOnlyList<HostCapabilities.CacheBank> Caches,
    bool KvmOffered,
    IReadOnlyList<string> Q35Machines)
{
    /// <param name="Pages">Pages of each size on the cell (size KiB, count), as listed.</param>
    public sealed record Cell(int Id, long? MemoryKiB, IReadOnlyList<(long SizeKiB, long Count)> Pages, IReadOnlyList<(int Node, int Value)> Distances,
        IReadOnlyList<CellCpu> Cpus);

    /// <summary>A CPU of a cell; an offline CPU is listed without socket, core and siblings.</summary>
    public sealed record CellCpu(int Id, int? Socket, int? Die, int? Core, CpuList? Siblings);

    /// <param name="Type">"both" (unified), "code" or "data".</param>
    public sealed record CacheBank(int Id, int Level, string Type, long? SizeKiB, CpuList Cpus);

    /// <summary>The firmware images a domain can load (domain capabilities' os/loader values: OVMF code files on that host).</summary>
    public static IReadOnlyList<string> FirmwareLoaders(string domainCapabilitiesXml)
    {
        try
        {
            return [.. (XElement.Parse(domainCapabilitiesXml).Element("os")?.Element("loader")?.Elements("value") ?? []).Select(v => v.Value.Trim())];
        }
        catch (XmlException)
        {
            return [];
        }
    }

    /// <summary>The base page size: the smallest listed (4 KiB on x86); the others are huge pages.</summary>
    public long? BasePageKiB => PageSizesKiB.Count > 0 ? PageSizesKiB.Min() : null;

    public IEnumerable<long> HugePageSizesKiB => PageSizesKiB.Where(s => s != BasePageKiB).Order();

    /// <summary>Parses the XML; throws <see cref="XmlException"/> when it is not XML.</summary>
    public static HostCapabilities Parse(string xml)
    {
        var root = XElement.Parse(xml);
        var host = root.Element("host");
        var cpu = host?.Element("cpu");
        var vendor = cpu?.Element("vendor")?.Value.Trim() switch
        {
            "Intel" => CpuVendor.Intel,
            "AMD" => CpuVendor.Amd,
            _ => CpuVendor.Unknown,
        };
        var pageSizes = (cpu?.Elements("pages") ?? []).Select(p => KiB((string?)p.Attribute("size"), (string?)p.Attribute("unit"))).OfType<long>().Distinct().Order().ToArray();
        var cells = (host?.Element("topology")?.Element("cells")?.Elements("cell") ?? []).Select(ParseCell).OfType<Cell>().OrderBy(c => c.Id).ToArray();
        var caches = (host?.Element("cache")?.Elements("bank") ?? []).Select(ParseBank).OfType<CacheBank>().ToArray();
        var guests = root.Elements("guest").Where(g => g.Element("os_type")?.Value == "hvm").SelectMany(g => g.Elements("arch")).ToArray();
        var kvm = guests.SelectMany(a => a.Elements("domain")).Any(d => (string?)d.Attribute("type") == "kvm");
        var q35 = guests.Where(a => (string?)a.Attribute("name") == "x86_64").SelectMany(a => a.Elements("machine"))
            .Select(m => m.Value.Trim()).Where(m => m.StartsWith("pc-q35-", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToArray();
        return new HostCapabilities(vendor, pageSizes, cells, caches, kvm, q35);
    }

    private static Cell? ParseCell(XElement c)
    {
        if (Int((string?)c.Attribute("id")) is not { } id) return null;
        var memory = c.Element("memory") is { } m ? KiB(m.Value, (string?)m.Attribute("unit")) : null;
        var pages = c.Elements("pages")
            .Select(p => (Size: KiB((string?)p.Attribute("size"), (string?)p.Attribute("unit")), Count: Long(p.Value)))
            .Where(p => p.Size is not null && p.Count is not null).Select(p => (p.Size!.Value, p.Count!.Value)).ToArray();
        var distances = (c.Element("distances")?.Elements("sibling") ?? [])
            .Select(s => (Node: Int((string?)s.Attribute("id")), Value: Int((string?)s.Attribute("value"))))
            .Where(s => s.Node is not null && s.Value is not null).Select(s => (s.Node!.Value, s.Value!.Value)).ToArray();
        var cpus = (c.Element("cpus")?.Elements("cpu") ?? []).Select(x => Int((string?)x.Attribute("id")) is { } cid
            ? new CellCpu(cid, Int((string?)x.Attribute("socket_id")), Int((string?)x.Attribute("die_id")), Int((string?)x.Attribute("core_id")),
                CpuList.TryParse((string?)x.Attribute("siblings"), out var s) ? s : null)
            : null).OfType<CellCpu>().OrderBy(x => x.Id).ToArray();
        return new Cell(id, memory, pages, distances, cpus);
    }

    private static CacheBank? ParseBank(XElement b) =>
        Int((string?)b.Attribute("id")) is { } id && Int((string?)b.Attribute("level")) is { } level
        && CpuList.TryParse((string?)b.Attribute("cpus"), out var cpus)
            ? new CacheBank(id, level, (string?)b.Attribute("type") ?? "", KiB((string?)b.Attribute("size"), (string?)b.Attribute("unit")), cpus)
            : null;

    /// <summary>A size in the units libvirt writes in capabilities (KiB when none is given; MiB for big caches) in KiB.</summary>
    private static long? KiB(string? amount, string? unit) => Long(amount) is not { } a ? null : (string.IsNullOrEmpty(unit) ? "KiB" : unit) switch
    {
        "b" or "bytes" => a / 1024,
        "k" or "K" or "KiB" => a,
        "M" or "MiB" => a * 1024,
        "G" or "GiB" => a * 1024 * 1024,
        "T" or "TiB" => a * 1024 * 1024 * 1024,
        _ => null,
    };

    private static int? Int(string? t) => int.TryParse(t?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static long? Long(string? t) => long.TryParse(t?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
}
