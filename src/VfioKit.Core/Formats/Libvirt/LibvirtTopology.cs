using VfioKit.Formats.Libvirt.Xml;
using VfioKit.Formats.Qemu;
using VfioKit.Vm;
using VfioKit.Behaviour.Qemu;
using VfioKit.Behaviour.Libvirt;

namespace VfioKit.Formats.Libvirt;

/// <summary>
/// Maps a libvirt domain to the VM model: every PCI device with the id libvirt gives it (its alias), on
/// the bus of its controller ("pcie.0", "pci.N"), at its address. Devices with no &lt;address&gt; are placed
/// as libvirt 9.0 places them (<see cref="LibvirtAddressing"/>) and marked <see cref="AddressOrigin.Assumed"/>,
/// controllers libvirt would add are added (assumed too), and the machine's own devices are added as QEMU
/// creates them (libvirt always passes -nodefaults).
/// </summary>
public static class LibvirtTopology
{
    /// <summary>Reads a domain into a placed VM topology.</summary>
    public static VmTopology Read(DomainXml xml) => Read(xml, out _);

    /// <summary>Reads a domain; <paramref name="definition"/> is libvirt's view with every address filled in.</summary>
    public static VmTopology Read(DomainXml xml, out DomainDefinition definition)
    {
        definition = DomainDefinitionReader.Read(xml);
        var problems = LibvirtAddressing.Assign(definition);
        var def = definition;
        var machineType = xml.Machine ?? "pc";
        Machine.TryParseType(machineType, out var family, out var version);
        var machine = new Machine(family, version, machineType, ValueList<MachineOption>.Empty);

        string BusAlias(int index) =>
            def.FindController("pci", index)?.Alias ?? "pci." + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var devices = new List<VmDevice>();
        foreach (var d in PciOrder(def))
        {
            if (d.Address is not { } a) continue;
            if (IsChipsetFunction(def, d)) continue;
            var bus = BusAlias(a.Bus);
            var at = new GuestAddress(a.Slot, a.Function);
            devices.Add(new VmDevice
            {
                Driver = LibvirtDrivers.Of(d),
                Id = IsUsbCompanion(def, d) ? null : d.Alias,
                Bus = d.Explicit ? bus : null,
                Address = d.Explicit ? at : null,
                Multifunction = d.Multifunction == "on",
                Port = PortOf(d),
                Expander = d.PciModel is PciControllerKind.PcieExpanderBus or PciControllerKind.PciExpanderBus && d.BusNr is { } nr
                    ? new ExpanderSettings(nr, d.NumaNode) : null,
                Bridge = d.PciModel == PciControllerKind.PciBridge ? new BridgeSettings(d.ChassisNr) : null,
                Passthrough = PassthroughOf(d),
                Placement = new DevicePlacement(bus, at, d.Explicit ? AddressOrigin.Explicit : AddressOrigin.Assumed),
                Source = d.Element is { } e ? new SourceLocation(xml.Origin, SourceXml.LineOf(e) ?? 0, SourceXml.ColumnOf(e) ?? 0, "<" + e.Name.LocalName + ">") : null,
            });
        }
        var topology = new VmTopology(machine, new ValueList<VmDevice>(devices))
        {
            Defaults = DefaultDevices.None,
            Unsupported = new ValueList<string>(problems.Select(p => "libvirt would refuse: " + p)),
        };
        // <qemu:commandline> comes after everything libvirt generates: its devices are created last.
        return xml.QemuCommandline is { } extra
            ? AppendedOptions.AppendTo(topology, extra.Options(xml.Origin), generatedAsJson: true)
            : QemuAddressing.Place(topology);
    }

    /// <summary>Loads and reads a domain XML file.</summary>
    public static VmTopology Load(string path) => Read(DomainXml.Load(path));

    /// <summary>Devices in the order libvirt writes them on the command line: PCI controllers first (by index), then the rest.</summary>
    private static IEnumerable<AddressableDevice> PciOrder(DomainDefinition def) =>
        def.PciControllers.OrderBy(c => c.Index).Concat(def.All.Where(d => !(d.Kind == "controller" && d.Type == "pci")));

    /// <summary>Functions QEMU's machine creates itself (q35's AHCI at 1f.2, PIIX3's IDE at 01.1): not -device entries.</summary>
    private static bool IsChipsetFunction(DomainDefinition def, AddressableDevice d) =>
        d.Kind == "controller" && d.Index == 0 &&
        ((def.HasPcieRoot && d.Type == "sata") || (!def.HasPcieRoot && d.Type == "ide"));

    /// <summary>ICH9 UHCI companions of an EHCI master: libvirt gives them masterbus= and no id=.</summary>
    private static bool IsUsbCompanion(DomainDefinition def, AddressableDevice d) =>
        d.Kind == "controller" && d.Type == "usb" && d.Model is "ich9-uhci1" or "ich9-uhci2" or "ich9-uhci3" &&
        def.Controllers.Any(c => c.Type == "usb" && c.Index == d.Index && c.Model == "ich9-ehci1");

    private static PortSettings? PortOf(AddressableDevice d)
    {
        if (d.PciModel is not (PciControllerKind.PcieRootPort or PciControllerKind.PcieSwitchDownstreamPort)) return null;
        var hotplug = d.Hotplug switch { "on" => true, "off" => false, _ => (bool?)null };
        // libvirt writes chassis and port, never slot: QEMU's slot stays 0 (its default).
        return new PortSettings(Chassis: d.Chassis, Port: d.Port, Hotplug: hotplug);
    }

    private static PassthroughSettings? PassthroughOf(AddressableDevice d)
    {
        if (!d.IsHostdev || d.Element is null) return null;
        var h = new Hostdev(d.Element);
        // An <interface type='hostdev'> has its host function at the same source/address.
        var source = h.SourceAsWritten;
        var host = source is { } s ? new HostSource(s.ToString(), s, false) : new HostSource("", null, false);
        var romBar = h.RomBar switch { "on" => true, "off" => false, _ => (bool?)null };
        var romFile = h.RomEnabled == "no" ? "" : h.RomFile;
        return new PassthroughSettings(host, romFile, romBar);
    }
}
