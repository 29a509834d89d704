using VfioKit.Vm;

namespace VfioKit.Behaviour.Libvirt;

/// <summary>
/// Gives every PCI device of a domain the address libvirt 9.0 would give it
/// (src/qemu/qemu_domain_address.c qemuDomainAssignPCIAddresses). Two passes, as libvirt does:
/// a dry run that counts how many buses are needed and adds the missing controllers (a pcie-root-port
/// per PCIe device on q35, pcie-to-pci-bridge or pci-bridge for conventional devices, one spare root
/// port for hotplug on a new q35 domain), then the real run that places, in libvirt's order, the
/// chipset's fixed devices (q35: SATA 1f.2, primary video 01.0, ICH9 audio 1b.0; pc: IDE/USB 01.1/01.2,
/// video 02.0), the PCI controllers by index (root ports aggregate as functions of one slot from 00:02.0),
/// then nets, sounds, other controllers, virtio disks, hostdevs, memballoon, rngs, watchdogs, videos,
/// shmems, virtio inputs, PCI serials, iommu, vsock, memory devices, cryptos and panics, each in the first
/// free compatible slot. Then root ports get chassis = index and port = slot &lt;&lt; 3 | function.
/// </summary>
public static class LibvirtAddressing
{
    /// <summary>Assigns addresses in place; returns libvirt's objections (addresses it would refuse).</summary>
    public static IReadOnlyList<string> Assign(DomainDefinition def)
    {
        var maxIndex = def.PciControllers.Select(c => c.Index).DefaultIfEmpty(-1).Max();
        var nbuses = maxIndex + 1;
        if (nbuses > 0)
        {
            var dry = Create(def, nbuses, dryRun: true);
            ReserveChipset(def, dry);
            if (!def.HasPcieRoot && !dry.Buses.All(b => b.IsFullyReserved))
                dry.ReserveNext(PciConnect.AutoAssign | PciConnect.PciDevice); // a slot kept for a future pci-bridge
            AssignSlots(def, dry);
            if (maxIndex <= 0 && dry.Buses.Count > maxIndex + 1 && def.HasPcieRoot)
                dry.ReserveNext(PciConnect.AutoAssign | PciConnect.PcieDevice); // one empty root port for hotplug
            for (var i = 1; i < dry.Buses.Count; i++)
            {
                if (def.FindController("pci", i) is not null) continue;
                var model = dry.Buses[i].Model;
                var added = new AddressableDevice
                {
                    Kind = "controller", Type = "pci", Index = i, Model = model.Name(), PciModel = model,
                    QemuDevice = model.DefaultQemuDevice(), Alias = "pci." + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
                added.Flags = model.ConnectType();
                // libvirt 9.0 appends the controllers it adds (newer releases insert them in index order,
                // which changes which of them is placed first: libvirt's test pci-autoadd-idx).
                def.Controllers.Add(added);
                dry.ReserveNext(added.Flags);
            }
            nbuses = dry.Buses.Count;
        }

        var set = Create(def, nbuses, dryRun: false);
        ReserveChipset(def, set);
        AssignSlots(def, set);
        SetMultifunction(def);
        SetControllerDefaults(def);
        return set.Problems;
    }

    private static PciBusSet Create(DomainDefinition def, int nbuses, bool dryRun)
    {
        var set = new PciBusSet(dryRun, pcieToPciBridgeSupported: true);
        var buses = new PciBusSet.Bus?[nbuses];
        foreach (var c in def.PciControllers)
            if (c.Index < nbuses && c.PciModel is { } m)
                buses[c.Index] = PciBusSet.NewBus(m, c.Hotplug != "off");
        buses[0] ??= PciBusSet.NewBus(PciControllerKind.PciRoot, true);
        var fallback = def.HasPcieRoot ? PciControllerKind.PcieRootPort : PciControllerKind.PciBridge;
        for (var i = 1; i < nbuses; i++) buses[i] ??= PciBusSet.NewBus(fallback, true);
        set.Buses.AddRange(buses!);

        // Addresses written in the XML (qemuDomainCollectPCIAddress).
        foreach (var d in def.All)
        {
            if (d.Address is not { } a) continue;
            if (!def.HasPcieRoot && d.Kind == "controller" && d.Index == 0 && a is { Bus: 0, Slot: 1 } &&
                ((d.Type == "ide" && a.Function == 1) || (d.Type == "usb" && d.Model == "piix3-uhci" && a.Function == 2)))
                continue; // PIIX3's own functions, reserved with the chipset
            var flags = d.Flags == PciConnect.None ? PciConnect.PciDevice : d.Flags;
            set.Reserve(ref a, flags, fromConfig: true);
        }
        return set;
    }

    /// <summary>qemuDomainValidateDevicePCISlotsQ35 / ...PIIX3: the chipset's fixed functions.</summary>
    private static void ReserveChipset(DomainDefinition def, PciBusSet set)
    {
        if (set.Buses.Count == 0) return;
        if (def.HasPcieRoot)
        {
            var flags = PciConnect.PcieDevice;
            foreach (var c in def.Controllers)
            {
                if (c.Type == "sata" && c.Index == 0 && c.Address is null && c.OtherAddressType is null)
                    c.Address = new LibvirtPciAddress(0, 0x1f, 2);
                else if (c.Type == "usb" && c.Model == "ich9-uhci1" && c.Wanted)
                {
                    foreach (var slot in new[] { 0x1d, 0x1a })
                    {
                        var a = new LibvirtPciAddress(0, slot, 0);
                        if (set.SlotInUse(a)) continue;
                        set.Reserve(ref a, flags, fromConfig: true);
                        c.Address = a;
                        c.Multifunction = "on";
                        break;
                    }
                }
                else if (c.Type == "pci" && c.PciModel == PciControllerKind.DmiToPciBridge && c.Wanted)
                {
                    var a = new LibvirtPciAddress(0, 0x1e, 0);
                    if (!set.SlotInUse(a)) { set.Reserve(ref a, flags, true); c.Address = a; }
                }
            }
            var isa = new LibvirtPciAddress(0, 0x1f, 0);
            set.Reserve(ref isa, flags, true);
            var smbus = new LibvirtPciAddress(0, 0x1f, 3);
            set.Reserve(ref smbus, flags, true);
            PrimaryVideo(def, set, 1, flags);
            var hda = new LibvirtPciAddress(0, 0x1b, 0);
            if (!set.SlotInUse(hda))
            {
                var sound = def.Sounds.FirstOrDefault(s => s.Model == "ich9" && s.Wanted);
                if (sound is not null && set.Reserve(ref hda, flags, true)) sound.Address = hda;
            }
        }
        else
        {
            var flags = PciConnect.AutoAssign | PciConnect.PciDevice;
            foreach (var c in def.Controllers)
            {
                LibvirtPciAddress? fixedAt = null;
                if (c.Type == "ide" && c.Index == 0) fixedAt = new LibvirtPciAddress(0, 1, 1);
                else if (c.Type == "usb" && c.Index == 0 && c.Model == "piix3-uhci") fixedAt = new LibvirtPciAddress(0, 1, 2);
                if (fixedAt is not { } a) continue;
                if (c.Address is null && c.OtherAddressType is null) c.Address = a;
                var at = c.Address ?? a;
                set.Reserve(ref at, flags, true);
            }
            var isaBridge = new LibvirtPciAddress(0, 1, 0);
            set.Reserve(ref isaBridge, flags, true);
            var pm = new LibvirtPciAddress(0, 1, 3);
            set.Reserve(ref pm, flags, true);
            PrimaryVideo(def, set, 2, flags);
        }
    }

    private static void PrimaryVideo(DomainDefinition def, PciBusSet set, int slot, PciConnect flags)
    {
        if (def.Videos.Count == 0 || def.Videos[0].Model is "none" or "ramfb") return;
        var video = def.Videos[0];
        if (!video.Wanted) return;
        var a = new LibvirtPciAddress(0, slot, 0);
        if (set.SlotInUse(a)) Next(set, video);
        else if (set.Reserve(ref a, flags, true)) video.Address = a; // libvirt writes it in the dry run too
    }

    /// <summary>qemuDomainAssignDevicePCISlots: libvirt's placement order.</summary>
    private static void AssignSlots(DomainDefinition def, PciBusSet set)
    {
        foreach (var c in def.Controllers.Where(c => c.Type == "pci"))
            if (c.PciModel is not (PciControllerKind.PciRoot or PciControllerKind.PcieRoot) && c.Wanted) Next(set, c);
        foreach (var d in def.Filesystems.Where(d => d.Wanted && d.Flags != PciConnect.None)) Next(set, d);
        foreach (var d in def.Nets.Where(d => d.Wanted)) Next(set, d);
        foreach (var d in def.Sounds.Where(d => d.Wanted && d.Model is not ("sb16" or "pcspk" or "usb"))) Next(set, d);
        foreach (var c in def.Controllers)
        {
            if (c.Type is "pci" or "fdc" or "ccid" || (c.Type == "usb" && c.Model == "none")) continue;
            if (c.Type == "ide" && c.Index == 0) continue;
            if (c.Type == "scsi" && c.Model == "ncr53c90") continue;
            if (!c.Wanted || c.Flags == PciConnect.None) continue;
            if (Usb2Function(c.Model) is { } fn)
            {
                var sibling = def.Controllers.FirstOrDefault(o => o != c && o.Type == "usb" && o.Index == c.Index && Usb2Function(o.Model) is not null && o.Address is not null);
                if (sibling?.Address is { } s)
                {
                    var a = s with { Function = fn };
                    if (set.Reserve(ref a, c.Flags, fromConfig: true)) c.Address = a;
                }
                else
                {
                    var a = set.ReserveNext(c.Flags, fn);
                    if (!set.DryRun) c.Address = a;
                }
                if (!set.DryRun) c.Multifunction = c.Model == "ich9-uhci1" ? "on" : c.Multifunction;
                continue;
            }
            Next(set, c);
        }
        foreach (var d in def.Disks.Where(d => d.Model == "virtio" && d.Wanted)) Next(set, d);
        foreach (var d in def.Hostdevs.Where(d => d.Wanted && d.Flags != PciConnect.None)) Next(set, d);
        foreach (var d in def.Memballoons.Where(d => d.Wanted && d.Flags != PciConnect.None)) Next(set, d);
        foreach (var d in def.Rngs.Where(d => d.Wanted)) Next(set, d);
        foreach (var d in def.Watchdogs.Where(d => d.Wanted && d.Model == "i6300esb")) Next(set, d);
        foreach (var d in def.Videos.Where(d => d.Wanted && d.Model is not ("none" or "ramfb"))) Next(set, d);
        foreach (var d in def.Shmems.Where(d => d.Wanted)) Next(set, d);
        foreach (var d in def.Inputs.Where(d => d.Wanted && d.Model == "virtio")) Next(set, d);
        foreach (var d in def.Serials.Where(d => d.Wanted && d.Model == "pci-serial")) Next(set, d);
        foreach (var kind in new[] { "iommu", "vsock", "memory", "crypto", "panic" })
            foreach (var d in def.Others.Where(d => d.Kind == kind && d.Wanted && d.Flags != PciConnect.None)) Next(set, d);
    }

    private static void Next(PciBusSet set, AddressableDevice d)
    {
        if (d.Flags == PciConnect.None) return;
        var a = set.ReserveNext(d.Flags);
        if (!set.DryRun && a is not null) d.Address = a;
    }

    private static int? Usb2Function(string? model) => model switch
    {
        "ich9-ehci1" => 7,
        "ich9-uhci1" => 0,
        "ich9-uhci2" => 1,
        "ich9-uhci3" => 2,
        _ => null,
    };

    /// <summary>virDomainPCIAddressSetAllMulti: function 0 of a slot with other functions in use gets multifunction='on' unless set off.</summary>
    private static void SetMultifunction(DomainDefinition def)
    {
        var all = def.All.Where(d => d.Address is not null).ToList();
        foreach (var d in all.Where(d => d.Address!.Value.Function != 0))
        {
            var a = d.Address!.Value;
            var first = all.FirstOrDefault(o => o.Address is { } b && b.Bus == a.Bus && b.Slot == a.Slot && b.Function == 0);
            if (first is not null && first.Multifunction is null) first.Multifunction = "on";
        }
    }

    /// <summary>Option defaults of qemuDomainAssignPCIAddresses: chassis, port, chassisNr, busNr.</summary>
    private static void SetControllerDefaults(DomainDefinition def)
    {
        foreach (var c in def.PciControllers)
        {
            var a = c.Address;
            switch (c.PciModel)
            {
                case PciControllerKind.PciBridge:
                    c.ChassisNr ??= c.Index;
                    break;
                case PciControllerKind.PcieRootPort:
                    c.Chassis ??= c.Index;
                    if (a is { } ra) c.Port ??= (ra.Slot << 3) + ra.Function;
                    break;
                case PciControllerKind.PcieSwitchDownstreamPort:
                    c.Chassis ??= c.Index;
                    if (a is { } da) c.Port ??= da.Slot;
                    break;
                case PciControllerKind.PciExpanderBus or PciControllerKind.PcieExpanderBus:
                    if (c.BusNr is null)
                    {
                        var lowest = def.PciControllers.Select(o => o.BusNr ?? 256).DefaultIfEmpty(256).Min();
                        if (lowest > 2) c.BusNr = lowest - 2;
                    }
                    break;
            }
        }
    }
}
