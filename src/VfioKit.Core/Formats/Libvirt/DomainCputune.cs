using System.Xml.Linq;
using VfioKit.Behaviour.Libvirt;

namespace VfioKit.Formats.Libvirt;

/// <summary>&lt;cputune&gt;: vCPU, emulator and iothread pinning (read-only view; cpusets as written).</summary>
public sealed record DomainCputune(XElement Element)
{
    public IReadOnlyList<(int? Vcpu, string Cpuset)> VcpuPins =>
        Element.Elements("vcpupin").Select(e => (LibvirtNumber.ParseOrNull(e.Attribute("vcpu")?.Value), e.Attribute("cpuset")?.Value ?? "")).ToList();
    public string? EmulatorPin => Element.Element("emulatorpin")?.Attribute("cpuset")?.Value;
    public IReadOnlyList<(int? Iothread, string Cpuset)> IothreadPins =>
        Element.Elements("iothreadpin").Select(e => (LibvirtNumber.ParseOrNull(e.Attribute("iothread")?.Value), e.Attribute("cpuset")?.Value ?? "")).ToList();
    public int? Line => Xml.SourceXml.LineOf(Element);
}
