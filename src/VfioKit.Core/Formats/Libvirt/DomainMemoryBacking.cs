using System.Xml.Linq;

namespace VfioKit.Formats.Libvirt;

/// <summary>&lt;memoryBacking&gt;: hugepages, locked, source, access, allocation (read-only view).</summary>
public sealed record DomainMemoryBacking(XElement Element)
{
    public bool Hugepages => Element.Element("hugepages") is not null;
    /// <summary>hugepages/page entries: size, unit, nodeset (as written).</summary>
    public IReadOnlyList<(string? Size, string? Unit, string? Nodeset)> Pages =>
        Element.Element("hugepages")?.Elements("page")
            .Select(p => (p.Attribute("size")?.Value, p.Attribute("unit")?.Value, p.Attribute("nodeset")?.Value)).ToList() ?? [];
    public bool Locked => Element.Element("locked") is not null;
    /// <summary>source/@type: "file", "anonymous", "memfd".</summary>
    public string? SourceType => Element.Element("source")?.Attribute("type")?.Value;
    /// <summary>access/@mode: "shared" or "private".</summary>
    public string? AccessMode => Element.Element("access")?.Attribute("mode")?.Value;
    /// <summary>allocation/@mode: "immediate" preallocates, "ondemand".</summary>
    public string? AllocationMode => Element.Element("allocation")?.Attribute("mode")?.Value;
    public int? Line => Xml.SourceXml.LineOf(Element);
}
