using System.Globalization;
using System.Xml.Linq;
using VfioKit.Host.Cpu;

namespace VfioKit.Planning;

/// <summary>The plan as libvirt domain XML elements: &lt;vcpu&gt;, &lt;iothreads&gt;, &lt;cputune&gt;, &lt;numatune&gt;,
/// &lt;memoryBacking&gt; and &lt;cpu&gt;, to paste into a &lt;domain&gt; (children of the root, any order).</summary>
public static class LibvirtPlanXml
{
    public static IReadOnlyList<XElement> Elements(CpuPlan plan)
    {
        var elements = new List<XElement>();
        if (plan.Memory.PageSizeKiB > 0)
            elements.Add(new XElement("memoryBacking",
                new XElement("hugepages", new XElement("page", new XAttribute("size", I(plan.Memory.PageSizeKiB)), new XAttribute("unit", "KiB"))),
                new XElement("locked")));
        elements.Add(new XElement("vcpu", new XAttribute("placement", "static"), I(plan.Vcpus.Count)));
        if (plan.IoThreads > 0) elements.Add(new XElement("iothreads", I(plan.IoThreads)));

        var cputune = new XElement("cputune");
        foreach (var pin in plan.Vcpus)
            cputune.Add(new XElement("vcpupin", new XAttribute("vcpu", I(pin.Vcpu)), new XAttribute("cpuset", I(pin.HostCpu))));
        cputune.Add(new XElement("emulatorpin", new XAttribute("cpuset", plan.EmulatorCpus.ToString())));
        for (var t = 1; t <= plan.IoThreads; t++)
            cputune.Add(new XElement("iothreadpin", new XAttribute("iothread", I(t)), new XAttribute("cpuset", plan.IoThreadCpus.ToString())));
        elements.Add(cputune);

        var nodeset = string.Join(",", plan.Memory.Nodes.Select(n => I(n)));
        var numatune = new XElement("numatune", new XElement("memory", new XAttribute("mode", "strict"), new XAttribute("nodeset", nodeset)));
        if (plan.Memory.Bytes is not null)
            numatune.Add(new XElement("memnode", new XAttribute("cellid", "0"), new XAttribute("mode", "strict"), new XAttribute("nodeset", nodeset)));
        elements.Add(numatune);

        var g = plan.GuestTopology;
        var cpu = new XElement("cpu", new XAttribute("mode", "host-passthrough"), new XAttribute("check", "none"), new XAttribute("migratable", "off"),
            new XElement("topology", new XAttribute("sockets", I(g.Sockets)), new XAttribute("dies", I(g.Dies)),
                new XAttribute("cores", I(g.Cores)), new XAttribute("threads", I(g.Threads))),
            new XElement("cache", new XAttribute("mode", "passthrough")));
        // AMD guests only see SMT siblings and the L3 layout with topoext.
        if (plan.Vendor == CpuVendor.Amd) cpu.Add(new XElement("feature", new XAttribute("policy", "require"), new XAttribute("name", "topoext")));
        if (plan.Memory.Bytes is { } bytes)
            cpu.Add(new XElement("numa", new XElement("cell", new XAttribute("id", "0"), new XAttribute("cpus", QemuPlanOptions.GuestCpus(plan)),
                new XAttribute("memory", I((bytes + 1023) / 1024)), new XAttribute("unit", "KiB"))));
        elements.Add(cpu);
        return elements;
    }

    /// <summary>The elements as indented text, one after the other.</summary>
    public static string Text(CpuPlan plan) => string.Join("\n", Elements(plan).Select(e => e.ToString())) + "\n";

    private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);
}
