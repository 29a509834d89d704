using System.Xml.Linq;
using VfioKit.Vm;
using VfioKit.Behaviour.Libvirt;

namespace VfioKit.Formats.Libvirt;

/// <summary>Builds the <see cref="DomainDefinition"/> libvirt 9.0 would hold for a domain XML (see there).</summary>
public static class DomainDefinitionReader
{
    public static DomainDefinition Read(DomainXml xml)
    {
        var family = MachineFamilyOf(xml);
        var def = new DomainDefinition { Family = family };
        var devices = xml.DevicesElement?.Elements().ToList() ?? [];

        foreach (var e in devices.Where(e => e.Name.LocalName == "controller")) AddXmlController(xml, def, e);
        foreach (var e in devices)
        {
            var kind = e.Name.LocalName;
            switch (kind)
            {
                case "filesystem": def.Filesystems.Add(Device(xml, e)); break;
                case "interface":
                    if (e.Attribute("type")?.Value == "hostdev") def.Hostdevs.Insert(def.Hostdevs.Count(h => h.Kind == "interface"), HostdevOf(xml, e));
                    else def.Nets.Add(Device(xml, e, ModelType(e) ?? "rtl8139"));
                    break;
                case "sound": def.Sounds.Add(Device(xml, e, e.Attribute("model")?.Value)); break;
                case "disk": def.Disks.Add(Device(xml, e, e.Element("target")?.Attribute("bus")?.Value)); break;
                case "hostdev": def.Hostdevs.Add(HostdevOf(xml, e)); break;
                case "memballoon": def.Memballoons.Add(Device(xml, e, e.Attribute("model")?.Value)); break;
                case "rng": def.Rngs.Add(Device(xml, e, e.Attribute("model")?.Value ?? "virtio")); break;
                case "watchdog": def.Watchdogs.Add(Device(xml, e, e.Attribute("model")?.Value)); break;
                case "video": def.Videos.Add(Device(xml, e, e.Element("model")?.Attribute("type")?.Value ?? DefaultVideo(family))); break;
                case "shmem": def.Shmems.Add(Device(xml, e, e.Element("model")?.Attribute("type")?.Value ?? "ivshmem-plain")); break;
                case "input": def.Inputs.Add(Device(xml, e, e.Attribute("bus")?.Value)); break;
                case "serial": def.Serials.Add(Device(xml, e, e.Element("target")?.Attribute("type")?.Value)); break;
                case "iommu" or "vsock" or "memory" or "crypto" or "panic":
                    def.Others.Add(Device(xml, e, e.Attribute("model")?.Value ?? (kind == "vsock" ? "virtio" : null)));
                    break;
            }
        }
        // libvirt moves the primary video (primary='yes') to the front.
        var primary = def.Videos.FindIndex(v => v.Element?.Element("model")?.Attribute("primary")?.Value == "yes");
        if (primary > 0) { var v = def.Videos[primary]; def.Videos.RemoveAt(primary); def.Videos.Insert(0, v); }

        AddImplicitDevices(def, devices);
        LibvirtAliases.Assign(def);
        foreach (var d in def.All) d.Flags = LibvirtConnectFlags.Of(d, def);
        return def;
    }

    private static MachineFamily MachineFamilyOf(DomainXml xml)
    {
        // libvirt 9.0's default x86 machine is "pc" (i440fx).
        var machine = xml.Machine ?? "pc";
        if (Machine.TryParseType(machine, out var family, out _)) return family;
        var at = (XObject?)xml.Os?.TypeElement ?? xml.Root;
        throw xml.Error(at, $"machine type '{machine}' is not an x86 pc or q35 machine");
    }

    private static void AddXmlController(DomainXml xml, DomainDefinition def, XElement e)
    {
        var type = e.Attribute("type")?.Value ?? "ide";
        var indexText = e.Attribute("index")?.Value;
        int index;
        if (indexText is null)
        {
            index = AutoIndex(def, type, e.Attribute("model")?.Value);
        }
        else if (!LibvirtNumber.TryParse(indexText, out index))
        {
            throw xml.Error(e.Attribute("index")!, $"controller index '{indexText}' is not a number");
        }
        var model = e.Attribute("model")?.Value;
        PciController? pci = null;
        PciControllerKind? kind = null;
        if (type == "pci")
        {
            // libvirt refuses both (virDomainControllerDefValidate, virDomainDefValidateInternal): a PCI bus
            // number is 8 bits, and the index is the bus every device on it names.
            if (index > 255)
                throw xml.Error((XObject?)e.Attribute("index") ?? e, $"PCI controller index {index} too high, maximum is 255");
            if (def.PciControllers.Any(c => c.Index == index))
                throw xml.Error((XObject?)e.Attribute("index") ?? e, $"Multiple 'pci' controllers with index '{index}'");
            pci = new PciController(e);
            model ??= index == 0 ? (def.HasPcieRoot ? "pcie-root" : "pci-root") : (def.HasPcieRoot ? "pcie-root-port" : "pci-bridge");
            if (!PciControllerKinds.TryParse(model, out var k))
                throw xml.Error(e, $"unknown PCI controller model '{model}'");
            kind = k;
        }
        else if (type == "usb") model ??= DefaultUsbModel(def.Family);
        else if (type == "scsi") model ??= "lsilogic";
        var (address, other, multi) = AddressOf(xml, e);
        def.InsertController(new AddressableDevice
        {
            Kind = "controller", Type = type, Model = model, Index = index, Element = e, Hotplug = pci?.Hotplug, NumaNode = pci?.NumaNode, PciModel = kind,
            Address = address, Explicit = address is not null, OtherAddressType = other, Multifunction = multi,
            QemuDevice = pci?.ModelName ?? kind?.DefaultQemuDevice(),
            Chassis = pci?.Chassis, Port = pci?.Port, ChassisNr = pci?.ChassisNr, BusNr = pci?.BusNr,
        });
    }

    private static readonly string[] Ich9Usb = ["ich9-ehci1", "ich9-uhci1", "ich9-uhci2", "ich9-uhci3"];

    /// <summary>
    /// The index libvirt gives a controller written without one: the lowest unused; but an ICH9 USB2
    /// controller joins the newest USB index whose ICH9 set lacks its model (EHCI + its UHCI companions).
    /// </summary>
    private static int AutoIndex(DomainDefinition def, string type, string? model)
    {
        if (type == "usb" && model is not null && Ich9Usb.Contains(model))
        {
            var usb = def.Controllers.Where(c => c.Type == "usb").ToList();
            if (usb.Count > 0)
            {
                var last = usb.Max(c => c.Index);
                var group = usb.Where(c => c.Index == last).ToList();
                if (group.All(c => c.Model is not null && Ich9Usb.Contains(c.Model)) && group.All(c => c.Model != model)) return last;
                return last + 1;
            }
        }
        var index = 0;
        while (def.FindController(type, index) is not null) index++;
        return index;
    }

    /// <summary>qemuDomainDefAddDefaultDevices and virDomainDefAddImplicitDevices for x86 machines.</summary>
    private static void AddImplicitDevices(DomainDefinition def, List<XElement> devices)
    {
        void Implicit(string type, int index, string? model, PciControllerKind? kind = null)
        {
            if (def.FindController(type, index) is not null) return;
            def.InsertController(new AddressableDevice
            {
                Kind = "controller", Type = type, Index = index, Model = model, PciModel = kind, QemuDevice = kind?.DefaultQemuDevice(),
            });
        }

        if (def.HasPcieRoot)
        {
            Implicit("pci", 0, "pcie-root", PciControllerKind.PcieRoot);
            Implicit("sata", 0, null);
        }
        else
        {
            Implicit("pci", 0, "pci-root", PciControllerKind.PciRoot);
            Implicit("ide", 0, null);
        }
        if (!def.Controllers.Any(c => c.Type == "usb")) Implicit("usb", 0, DefaultUsbModel(def.Family));

        // Controllers for disks on sata/scsi/ide buses (virDomainDefAddDiskControllersForType).
        foreach (var disk in def.Disks)
        {
            var bus = disk.Model;
            if (bus is not ("sata" or "scsi" or "ide")) continue;
            var controller = disk.Element?.Element("address") is { } a && a.Attribute("type")?.Value == "drive"
                ? LibvirtNumber.ParseOrNull(a.Attribute("controller")?.Value) ?? 0 : 0;
            Implicit(bus, controller, bus == "scsi" ? "lsilogic" : null);
        }
        // A virtio-serial controller for virtio channels and consoles.
        var virtioSerial = devices.Any(e =>
            (e.Name.LocalName == "channel" && e.Element("target")?.Attribute("type")?.Value == "virtio") ||
            (e.Name.LocalName == "console" && e.Element("target")?.Attribute("type")?.Value == "virtio"));
        if (virtioSerial) Implicit("virtio-serial", 0, null);
        if (devices.Any(e => e.Name.LocalName == "smartcard")) Implicit("ccid", 0, null);

        if (def.Memballoons.Count == 0)
            def.Memballoons.Add(new AddressableDevice { Kind = "memballoon", Model = "virtio" });
        if (def.Videos.Count == 0 && devices.Any(e => e.Name.LocalName == "graphics"))
            def.Videos.Add(new AddressableDevice { Kind = "video", Model = DefaultVideo(def.Family) });
    }

    /// <summary>libvirt 9.0's default USB controller model with this machine's QEMU (qemu-xhci exists).</summary>
    private static string DefaultUsbModel(MachineFamily family) => family == MachineFamily.Q35 ? "qemu-xhci" : "piix3-uhci";

    private static string DefaultVideo(MachineFamily family) => "vga";

    private static string? ModelType(XElement e) => e.Element("model")?.Attribute("type")?.Value;

    private static AddressableDevice Device(DomainXml xml, XElement e, string? model = null)
    {
        var (address, other, multi) = AddressOf(xml, e);
        return new AddressableDevice
        {
            Kind = e.Name.LocalName, Type = e.Attribute("type")?.Value, Model = model, Element = e,
            Address = address, Explicit = address is not null, OtherAddressType = other, Multifunction = multi,
        };
    }

    private static AddressableDevice HostdevOf(DomainXml xml, XElement e)
    {
        var (address, other, multi) = AddressOf(xml, e);
        return new AddressableDevice
        {
            Kind = e.Name.LocalName, Type = e.Attribute("type")?.Value, Element = e, IsHostdev = true,
            Model = e.Name.LocalName == "hostdev" ? e.Attribute("type")?.Value : "pci",
            Address = address, Explicit = address is not null, OtherAddressType = other, Multifunction = multi,
        };
    }

    /// <summary>The device's PCI address when present (libvirt: domain, bus or slot non-zero); another address type; multifunction.</summary>
    internal static (LibvirtPciAddress? Address, string? OtherType, string? Multifunction) AddressOf(DomainXml xml, XElement device)
    {
        var a = device.Element("address");
        if (a is null) return (null, null, null);
        var type = a.Attribute("type")?.Value;
        if (type != "pci") return (null, type ?? "unknown", null);
        int Part(string name, int max)
        {
            var attr = a.Attribute(name);
            if (attr is null) return 0;
            if (!LibvirtNumber.TryParse(attr.Value, out var v) || v > max)
                throw xml.Error(attr, $"PCI address {name}='{attr.Value}' is not a number from 0 to {max}");
            return v;
        }
        var domain = Part("domain", 0xffff);
        var bus = Part("bus", 0xff);
        var slot = Part("slot", 0x1f);
        var fn = Part("function", 7);
        var multi = a.Attribute("multifunction")?.Value;
        if (domain == 0 && bus == 0 && slot == 0) return (null, null, multi);
        return (new LibvirtPciAddress(bus, slot, fn), null, multi);
    }
}
