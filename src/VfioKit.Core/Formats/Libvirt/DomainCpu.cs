using System.Xml.Linq;
using VfioKit.Behaviour.Libvirt;

namespace VfioKit.Formats.Libvirt;

/// <summary>&lt;cpu&gt;: mode, model, topology and features (read-only view).</summary>
public sealed record DomainCpu(XElement Element)
{
    /// <summary>"host-passthrough", "host-model", "custom", "maximum" or null.</summary>
    public string? Mode => Element.Attribute("mode")?.Value;
    public string? Check => Element.Attribute("check")?.Value;
    public string? Model => Element.Element("model")?.Value.Trim();
    public XElement? Topology => Element.Element("topology");
    public int? Sockets => LibvirtNumber.ParseOrNull(Topology?.Attribute("sockets")?.Value);
    public int? Dies => LibvirtNumber.ParseOrNull(Topology?.Attribute("dies")?.Value);
    public int? Cores => LibvirtNumber.ParseOrNull(Topology?.Attribute("cores")?.Value);
    public int? Threads => LibvirtNumber.ParseOrNull(Topology?.Attribute("threads")?.Value);
    /// <summary>&lt;feature policy name/&gt; pairs, e.g. ("require", "topoext").</summary>
    public IReadOnlyList<(string Policy, string Name)> Features =>
        Element.Elements("feature").Select(f => (f.Attribute("policy")?.Value ?? "require", f.Attribute("name")?.Value ?? "")).ToList();
    /// <summary>&lt;cache mode/&gt; (e.g. "passthrough").</summary>
    public string? CacheMode => Element.Element("cache")?.Attribute("mode")?.Value;
    public int? Line => Xml.SourceXml.LineOf(Element);
}
