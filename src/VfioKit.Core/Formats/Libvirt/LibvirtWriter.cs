using System.Globalization;
using System.Security;
using System.Text;
using VfioKit.Pci;
using VfioKit.Vm;

namespace VfioKit.Formats.Libvirt;

/// <summary>
/// Writes the PCI part of a VM topology as libvirt XML: a &lt;controller type='pci'&gt; per bus-providing
/// device and a &lt;hostdev&gt; per vfio-pci device, every one with an explicit &lt;address&gt;, so libvirt
/// places nothing by itself. Controller indexes come from ids of the form "pci.N" (libvirt's aliases),
/// else the next free index. Emulated endpoints are not written (other verbs write their own devices).
/// </summary>
public static class LibvirtWriter
{
    /// <summary>The &lt;controller&gt; and &lt;hostdev&gt; elements, one per line group, in bus order.</summary>
    public static string Devices(VmTopology topology, string indent = "")
    {
        var indexes = ControllerIndexes(topology);
        var sb = new StringBuilder();
        void Line(string s) => sb.Append(indent).Append(s).Append('\n');

        foreach (var d in topology.Configured.Where(d => d.Controller is not null).OrderBy(d => indexes[d.Id!]))
        {
            var model = d.Controller!.Value;
            var index = indexes[d.Id!];
            Line($"<controller type='pci' index='{index.ToString(CultureInfo.InvariantCulture)}' model='{LibvirtModel(model)}'>");
            Line($"  <model name='{model.Driver()}'/>");
            var target = Target(d, model, index);
            if (target is not null) Line("  " + target);
            Line("  " + Address(topology, d, indexes));
            Line("</controller>");
        }
        foreach (var d in topology.Configured.Where(d => d.IsPassthrough))
        {
            Line("<hostdev mode='subsystem' type='pci' managed='yes'>");
            Line("  <driver name='vfio'/>");
            Line("  <source>");
            Line("    " + HostAddress(d));
            Line("  </source>");
            if (d.Passthrough is { } p && (p.RomBar is not null || p.RomFile is not null))
            {
                var bar = p.RomBar is { } b ? $" bar='{(b ? "on" : "off")}'" : "";
                var file = p.RomFile is { Length: > 0 } f ? $" file='{Escape(f)}'" : "";
                Line(p.RomFile is "" ? "  <rom enabled='no'/>" : $"  <rom{bar}{file}/>");
            }
            Line("  " + Address(topology, d, indexes));
            Line("</hostdev>");
        }
        return sb.ToString();
    }

    /// <summary>
    /// A complete minimal domain (q35 or pc) holding the topology's controllers and host devices;
    /// <paramref name="extraDevices"/> (already formatted) go at the end of &lt;devices&gt;.
    /// </summary>
    public static string Domain(VmTopology topology, string name, long memoryMiB = 1024, int vcpus = 1, string extraDevices = "")
    {
        var sb = new StringBuilder();
        // libvirt refuses an expander bus on a NUMA node the guest lacks: one guest node per node named.
        var nodes = topology.Configured.Select(d => d.Expander?.NumaNode).OfType<int>().DefaultIfEmpty(-1).Max() + 1;
        vcpus = Math.Max(vcpus, nodes);
        sb.Append("<domain type='kvm'>\n");
        sb.Append($"  <name>{Escape(name)}</name>\n");
        sb.Append($"  <memory unit='MiB'>{memoryMiB.ToString(CultureInfo.InvariantCulture)}</memory>\n");
        sb.Append($"  <vcpu placement='static'>{vcpus.ToString(CultureInfo.InvariantCulture)}</vcpu>\n");
        sb.Append("  <os>\n");
        sb.Append($"    <type arch='x86_64' machine='{Escape(topology.Machine.Type)}'>hvm</type>\n");
        sb.Append("  </os>\n");
        if (nodes > 0)
        {
            sb.Append("  <cpu>\n    <numa>\n");
            for (var n = 0; n < nodes; n++)
            {
                var cpus = string.Join(",", Enumerable.Range(0, vcpus).Where(c => c % nodes == n));
                sb.Append($"      <cell id='{n.ToString(CultureInfo.InvariantCulture)}' cpus='{cpus}' memory='{(memoryMiB / nodes).ToString(CultureInfo.InvariantCulture)}' unit='MiB'/>\n");
            }
            sb.Append("    </numa>\n  </cpu>\n");
        }
        sb.Append("  <devices>\n");
        var root = topology.Machine.Family == MachineFamily.Q35 ? "pcie-root" : "pci-root";
        sb.Append($"    <controller type='pci' index='0' model='{root}'/>\n");
        sb.Append(Devices(topology, "    "));
        if (extraDevices.Length > 0) sb.Append(extraDevices);
        // No balloon: it cannot reclaim memory pinned for passthrough (DMA) and only takes a root port.
        sb.Append("    <memballoon model='none'/>\n");
        sb.Append("  </devices>\n");
        sb.Append("</domain>\n");
        return sb.ToString();
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

    private static string? Target(VmDevice d, ControllerModel model, int index)
    {
        if (model.IsPort() && d.Port is { } p)
        {
            var parts = new List<string>();
            // libvirt's chassis defaults to the index; port to slot<<3|function (it never passes slot=).
            parts.Add($"chassis='{(p.Chassis ?? index).ToString(CultureInfo.InvariantCulture)}'");
            if (p.Port is { } port) parts.Add($"port='{LibvirtNumber.Hex(port, 1)}'");
            if (p.Hotplug is { } hp) parts.Add($"hotplug='{(hp ? "on" : "off")}'");
            return $"<target {string.Join(" ", parts)}/>";
        }
        if (model.IsExpander() && d.Expander is { } x)
        {
            var node = x.NumaNode is { } n ? $"<node>{n.ToString(CultureInfo.InvariantCulture)}</node>" : "";
            return node.Length == 0
                ? $"<target busNr='{x.BusNr.ToString(CultureInfo.InvariantCulture)}'/>"
                : $"<target busNr='{x.BusNr.ToString(CultureInfo.InvariantCulture)}'>{node}</target>";
        }
        if (model == ControllerModel.PciBridge && d.Bridge?.ChassisNr is { } nr)
            return $"<target chassisNr='{nr.ToString(CultureInfo.InvariantCulture)}'/>";
        return null;
    }

    private static string Address(VmTopology topology, VmDevice d, IReadOnlyDictionary<string, int> indexes)
    {
        var p = d.Placement ?? (d.Address is { } a ? new DevicePlacement(d.Bus ?? topology.RootBusId, a, AddressOrigin.Explicit) : null)
            ?? throw new InvalidOperationException($"{d.Name} has no address: place the topology before writing it");
        if (!indexes.TryGetValue(p.Bus, out var bus))
            throw new InvalidOperationException($"{d.Name} sits on bus '{p.Bus}', which no controller provides");
        var multi = d.Multifunction ? " multifunction='on'" : "";
        return $"<address type='pci' domain='0x0000' bus='{LibvirtNumber.Hex(bus, 2)}' slot='{LibvirtNumber.Hex(p.Address.Slot, 2)}' function='{LibvirtNumber.Hex(p.Address.Function, 1)}'{multi}/>";
    }

    private static string HostAddress(VmDevice d)
    {
        var a = d.HostAddress ?? throw new InvalidOperationException($"{d.Name}: libvirt needs a literal host address, not '{d.Passthrough?.Host.Text}'");
        return $"<address domain='{LibvirtNumber.Hex(a.Domain, 4)}' bus='{LibvirtNumber.Hex(a.Bus, 2)}' slot='{LibvirtNumber.Hex(a.Device, 2)}' function='{LibvirtNumber.Hex(a.Function, 1)}'/>";
    }

    private static string Escape(string s) => SecurityElement.Escape(s) ?? "";
}
