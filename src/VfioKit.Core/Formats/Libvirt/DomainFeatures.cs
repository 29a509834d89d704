using System.Xml.Linq;

namespace VfioKit.Formats.Libvirt;

/// <summary>&lt;features&gt;: acpi/apic, Hyper-V enlightenments, kvm hidden state, ioapic, vmport (read-only view).</summary>
public sealed record DomainFeatures(XElement Element)
{
    /// <summary>The names of the direct children: acpi, apic, hyperv, kvm, ioapic, vmport, smm, ...</summary>
    public IReadOnlyList<string> Names => Element.Elements().Select(e => e.Name.LocalName).ToList();
    public bool Has(string name) => Element.Element(name) is not null;

    public XElement? Hyperv => Element.Element("hyperv");
    /// <summary>hyperv/@mode ("custom", "passthrough") when given.</summary>
    public string? HypervMode => Hyperv?.Attribute("mode")?.Value;
    /// <summary>Each enlightenment: name (relaxed, vapic, spinlocks, vpindex, synic, stimer, reset,
    /// frequencies, runtime, vendor_id, ...), state ("on"/"off"/null) and value (retries, vendor id).</summary>
    public IReadOnlyList<(string Name, string? State, string? Value)> HypervFeatures =>
        Hyperv?.Elements().Select(e => (e.Name.LocalName, e.Attribute("state")?.Value,
            e.Attribute("retries")?.Value ?? e.Attribute("value")?.Value)).ToList() ?? [];
    /// <summary>hyperv/vendor_id/@value, the spoofed vendor, when set.</summary>
    public string? HypervVendorId => Hyperv?.Element("vendor_id")?.Attribute("value")?.Value;
    /// <summary>kvm/hidden/@state: "on" hides the KVM signature.</summary>
    public string? KvmHidden => Element.Element("kvm")?.Element("hidden")?.Attribute("state")?.Value;
    /// <summary>ioapic/@driver: "kvm" or "qemu".</summary>
    public string? IoapicDriver => Element.Element("ioapic")?.Attribute("driver")?.Value;
    public int? Line => Xml.SourceXml.LineOf(Element);
}
