using System.Xml.Linq;

namespace VfioKit.Formats.Libvirt;

/// <summary>&lt;shmem name&gt; (Looking Glass uses ivshmem-plain): model, size in bytes, address.</summary>
public sealed record DomainShmem(XElement Element)
{
    public string? Name => Element.Attribute("name")?.Value;
    /// <summary>model/@type: "ivshmem-plain", "ivshmem-doorbell", "ivshmem".</summary>
    public string? ModelType => Element.Element("model")?.Attribute("type")?.Value;
    /// <summary>The size in bytes (unit defaults to M, as in libvirt), null when absent or unreadable.</summary>
    public long? SizeBytes
    {
        get
        {
            var size = Element.Element("size");
            if (size is null || !long.TryParse(size.Value.Trim(), out var n)) return null;
            return MemoryUnit.ToBytes(n, size.Attribute("unit")?.Value ?? "M");
        }
    }
    public string? Alias => Element.Element("alias")?.Attribute("name")?.Value;
    public DeviceAddress? Address => DeviceAddress.Of(Element);
    public int? Line => Xml.SourceXml.LineOf(Element);
}
