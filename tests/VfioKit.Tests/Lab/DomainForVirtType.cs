using System.Xml.Linq;

namespace VfioKit.Tests.Lab;

/// <summary>
/// The one place where the tests adapt a domain to what libvirtd accepts on a machine without KVM:
/// a copy with &lt;domain type='qemu'&gt; (TCG) and, because libvirt refuses "CPU mode 'host-passthrough' for
/// x86_64 qemu domain", host-passthrough/host-model CPUs as mode='maximum' (QEMU's -cpu max, TCG's closest
/// equivalent; topology, NUMA cells, cache and features kept). vfiokit's own output stays type='kvm'; only the
/// test's copy changes, and the changes are listed so the test can print them.
/// </summary>
public static class DomainForVirtType
{
    public sealed record Adapted(string Xml, IReadOnlyList<string> Changes);

    public static Adapted Adapt(string xml, string virtType)
    {
        if (virtType == VirtTypes.Kvm) return new(xml, []);
        var doc = XDocument.Parse(xml, LoadOptions.PreserveWhitespace);
        var changes = new List<string>();
        var domain = doc.Root!;
        var type = (string?)domain.Attribute("type");
        if (type != virtType)
        {
            domain.SetAttributeValue("type", virtType);
            changes.Add($"<domain type='{type}'> -> type='{virtType}'");
        }
        if (domain.Element("cpu") is { } cpu && (string?)cpu.Attribute("mode") is "host-passthrough" or "host-model" && virtType == VirtTypes.Qemu)
        {
            changes.Add($"<cpu mode='{(string?)cpu.Attribute("mode")}'> -> mode='maximum'");
            cpu.SetAttributeValue("mode", "maximum");
            // check= belongs to host-model/custom CPUs; libvirt rejects it beside 'maximum'.
            cpu.Attribute("check")?.Remove();
        }
        return new(doc.Declaration is null ? doc.ToString(SaveOptions.DisableFormatting) : doc.Declaration + doc.ToString(SaveOptions.DisableFormatting), changes);
    }
}
