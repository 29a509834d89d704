using System.Globalization;
using System.Xml.Linq;
using VfioKit.Formats.Libvirt.Xml;
using VfioKit.Pci;
using VfioKit.Vm;
using VfioKit.Behaviour.Libvirt;

namespace VfioKit.Formats.Libvirt;

/// <summary>
/// Writes the PCI part of a VM topology as libvirt XML: a &lt;controller type='pci'&gt; per bus-providing
/// device and a &lt;hostdev&gt; per vfio-pci device, every one with an explicit &lt;address&gt;, so libvirt
/// places nothing by itself. Controller indexes come from ids of the form "pci.N" (libvirt's aliases),
/// else the next free index. Emulated endpoints are not written (other verbs write their own devices).
/// </summary>
public static class LibvirtWriter
{
    /// <summary>The &lt;controller&gt; and &lt;hostdev&gt; elements in bus order.</summary>
    public static IReadOnlyList<XElement> Devices(VmTopology topology)
    {
        var indexes = ControllerIndexes(topology);
        var elements = new List<XElement>();
        foreach (var d in topology.Configured.Where(d => d.Controller is not null).OrderBy(d => indexes[d.Id!]))
        {
            var model = d.Controller!.Value;
            var index = indexes[d.Id!];
            elements.Add(new XElement("controller", new XAttribute("type", "pci"), new XAttribute("index", I(index)), new XAttribute("model", LibvirtModel(model)),
                new XElement("model", new XAttribute("name", model.Driver())),
                Target(d, model, index),
                Address(topology, d, indexes)));
        }
        foreach (var d in topology.Configured.Where(d => d.IsPassthrough))
        {
            var hostdev = new XElement("hostdev", new XAttribute("mode", "subsystem"), new XAttribute("type", "pci"), new XAttribute("managed", "yes"),
                new XElement("driver", new XAttribute("name", "vfio")),
                new XElement("source", HostAddress(d)));
            if (d.Passthrough is { } p && (p.RomBar is not null || p.RomFile is not null))
                hostdev.Add(p.RomFile is ""
                    ? new XElement("rom", new XAttribute("enabled", "no"))
                    : new XElement("rom",
                        p.RomBar is { } b ? new XAttribute("bar", b ? "on" : "off") : null,
                        p.RomFile is { Length: > 0 } f ? new XAttribute("file", f) : null));
            hostdev.Add(Address(topology, d, indexes));
            elements.Add(hostdev);
        }
        return elements;
    }

    /// <summary>
    /// A complete minimal domain (q35 or pc) holding the topology's controllers and host devices, as text.
    /// </summary>
    public static string Domain(VmTopology topology, string name, long memoryMiB = 1024, int vcpus = 1)
    {
        // libvirt refuses an expander bus on a NUMA node the guest lacks: one guest node per node named.
        var nodes = topology.Configured.Select(d => d.Expander?.NumaNode).OfType<int>().DefaultIfEmpty(-1).Max() + 1;
        vcpus = Math.Max(vcpus, nodes);
        var domain = new XElement("domain", new XAttribute("type", "kvm"),
            new XElement("name", name),
            new XElement("memory", new XAttribute("unit", "MiB"), I(memoryMiB)),
            new XElement("vcpu", new XAttribute("placement", "static"), I(vcpus)),
            new XElement("os", new XElement("type", new XAttribute("arch", "x86_64"), new XAttribute("machine", topology.Machine.Type), "hvm")));
        if (nodes > 0)
            domain.Add(new XElement("cpu", new XElement("numa", Enumerable.Range(0, nodes).Select(n =>
                new XElement("cell", new XAttribute("id", I(n)),
                    new XAttribute("cpus", string.Join(",", Enumerable.Range(0, vcpus).Where(c => c % nodes == n))),
                    new XAttribute("memory", I(memoryMiB / nodes)), new XAttribute("unit", "MiB"))))));
        var root = topology.Machine.Family == MachineFamily.Q35 ? "pcie-root" : "pci-root";
        domain.Add(new XElement("devices",
            new XElement("controller", new XAttribute("type", "pci"), new XAttribute("index", "0"), new XAttribute("model", root)),
            Devices(topology),
            // No balloon: it cannot reclaim memory pinned for passthrough (DMA) and only takes a root port.
            new XElement("memballoon", new XAttribute("model", "none"))));
        return ElementText.Of(domain) + "\n";
    }

    /// <summary>libvirt's controller index for every controller id ("pci.N" keeps N; others get the next free one).</summary>
    public static IReadOnlyDictionary<string, int> ControllerIndexes(VmTopology topology)
    {
        var map = new Dictionary<string, int> { [topology.RootBusId] = 0 };
        var controllers = topology.Configured.Where(d => d.Controller is not null && d.Id is not null).ToList();
        foreach (var d in controllers)
            if (d.Id!.StartsWith("pci.", StringComparison.Ordinal) && int.TryParse(d.Id[4..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 && !map.ContainsValue(n))
                map[d.Id] = n;
        var next = 1;
        foreach (var d in controllers.Where(d => !map.ContainsKey(d.Id!)))
        {
            while (map.ContainsValue(next)) next++;
            map[d.Id!] = next;
        }
        return map;
    }

    private static string LibvirtModel(ControllerModel model) => model switch
    {
        ControllerModel.PcieRootPort or ControllerModel.Ioh3420 => "pcie-root-port",
        ControllerModel.SwitchUpstream => "pcie-switch-upstream-port",
        ControllerModel.SwitchDownstream => "pcie-switch-downstream-port",
        ControllerModel.PciePciBridge => "pcie-to-pci-bridge",
        ControllerModel.PciBridge => "pci-bridge",
        ControllerModel.DmiPciBridge => "dmi-to-pci-bridge",
        ControllerModel.PcieExpander => "pcie-expander-bus",
        ControllerModel.PciExpander => "pci-expander-bus",
        _ => throw new ArgumentOutOfRangeException(nameof(model)),
    };

    private static XElement? Target(VmDevice d, ControllerModel model, int index)
    {
        if (model.IsPort() && d.Port is { } p)
            // libvirt's chassis defaults to the index; port to slot<<3|function (it never passes slot=).
            return new XElement("target", new XAttribute("chassis", I(p.Chassis ?? index)),
                p.Port is { } port ? new XAttribute("port", LibvirtNumber.Hex(port, 1)) : null,
                p.Hotplug is { } hp ? new XAttribute("hotplug", hp ? "on" : "off") : null);
        if (model.IsExpander() && d.Expander is { } x)
            return new XElement("target", new XAttribute("busNr", I(x.BusNr)), x.NumaNode is { } n ? new XElement("node", I(n)) : null);
        if (model == ControllerModel.PciBridge && d.Bridge?.ChassisNr is { } nr)
            return new XElement("target", new XAttribute("chassisNr", I(nr)));
        return null;
    }

    private static XElement Address(VmTopology topology, VmDevice d, IReadOnlyDictionary<string, int> indexes)
    {
        var p = d.Placement ?? (d.Address is { } a ? new DevicePlacement(d.Bus ?? topology.RootBusId, a, AddressOrigin.Explicit) : null)
            ?? throw new InvalidOperationException($"{d.Name} has no address: place the topology before writing it");
        if (!indexes.TryGetValue(p.Bus, out var bus))
            throw new InvalidOperationException($"{d.Name} sits on bus '{p.Bus}', which no controller provides");
        return PciAddress(bus, p.Address.Slot, p.Address.Function, d.Multifunction);
    }

    /// <summary>A guest PCI &lt;address&gt; on the bus of controller index <paramref name="bus"/>.</summary>
    public static XElement PciAddress(int bus, int slot, int function = 0, bool multifunction = false) =>
        new("address", new XAttribute("type", "pci"), new XAttribute("domain", "0x0000"), new XAttribute("bus", LibvirtNumber.Hex(bus, 2)),
            new XAttribute("slot", LibvirtNumber.Hex(slot, 2)), new XAttribute("function", LibvirtNumber.Hex(function, 1)),
            multifunction ? new XAttribute("multifunction", "on") : null);

    private static XElement HostAddress(VmDevice d)
    {
        var a = d.HostAddress ?? throw new InvalidOperationException($"{d.Name}: libvirt needs a literal host address, not '{d.Passthrough?.Host.Text}'");
        return new XElement("address", new XAttribute("domain", LibvirtNumber.Hex(a.Domain, 4)), new XAttribute("bus", LibvirtNumber.Hex(a.Bus, 2)),
            new XAttribute("slot", LibvirtNumber.Hex(a.Device, 2)), new XAttribute("function", LibvirtNumber.Hex(a.Function, 1)));
    }

    private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);
}
