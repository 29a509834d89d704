namespace VfioKit.Behaviour.Libvirt;

/// <summary>A guest PCI address as libvirt numbers it: bus = the index of the controller providing the bus.</summary>
public readonly record struct LibvirtPciAddress(int Bus, int Slot, int Function);

/// <summary>
/// libvirt's set of PCI buses and reserved functions (src/conf/domain_addr.c virDomainPCIAddressSet):
/// what each bus accepts, which slots and functions are taken, and, in the dry run, new buses added when
/// a device finds no free slot (virDomainPCIAddressSetGrow).
/// </summary>
internal sealed class PciBusSet(bool dryRun, bool pcieToPciBridgeSupported)
{
    internal sealed class Bus
    {
        public PciControllerKind Model;
        public PciConnect Flags;
        public int MinSlot;
        public int MaxSlot = 31;
        public readonly int[] Functions = new int[32];
        public readonly bool[] Aggregate = new bool[32];

        public bool IsEmpty => Enumerable.Range(MinSlot, MaxSlot - MinSlot + 1).All(s => Functions[s] == 0);
        public bool IsFullyReserved => Enumerable.Range(MinSlot, MaxSlot - MinSlot + 1).All(s => Functions[s] != 0);
    }

    public List<Bus> Buses { get; } = [];
    public bool DryRun { get; } = dryRun;

    /// <summary>Messages for addresses libvirt would refuse (kept, not thrown: lint reports them).</summary>
    public List<string> Problems { get; } = [];

    public static Bus NewBus(PciControllerKind model, bool hotplug)
    {
        var bus = new Bus { Model = model };
        var hp = hotplug ? PciConnect.Hotpluggable : PciConnect.None;
        switch (model)
        {
            case PciControllerKind.PciRoot:
                bus.Flags = PciConnect.AutoAssign | PciConnect.PciDevice | PciConnect.PciBridge | PciConnect.PciExpanderBus | hp;
                bus.MinSlot = 1;
                break;
            case PciControllerKind.PciBridge:
                bus.Flags = PciConnect.AutoAssign | PciConnect.PciDevice | PciConnect.PciBridge | hp;
                bus.MinSlot = 1;
                break;
            case PciControllerKind.PciExpanderBus:
                bus.Flags = PciConnect.AutoAssign | PciConnect.PciDevice | PciConnect.PciBridge | hp;
                break;
            case PciControllerKind.PcieRoot:
                bus.Flags = PciConnect.PcieDevice | PciConnect.PcieRootPort | PciConnect.DmiToPciBridge | PciConnect.PcieExpanderBus;
                bus.MinSlot = 1;
                break;
            case PciControllerKind.DmiToPciBridge:
                bus.Flags = PciConnect.PciDevice | PciConnect.PciBridge;
                break;
            case PciControllerKind.PcieToPciBridge:
                bus.Flags = PciConnect.AutoAssign | PciConnect.PciDevice | PciConnect.PciBridge | hp;
                bus.MinSlot = 1;
                break;
            case PciControllerKind.PcieRootPort:
            case PciControllerKind.PcieSwitchDownstreamPort:
                bus.Flags = PciConnect.AutoAssign | PciConnect.PcieDevice | PciConnect.PcieSwitchUpstreamPort | PciConnect.PcieToPciBridge | hp;
                bus.MaxSlot = 0;
                break;
            case PciControllerKind.PcieSwitchUpstreamPort:
                bus.Flags = PciConnect.PcieSwitchDownstreamPort;
                break;
            case PciControllerKind.PcieExpanderBus:
                bus.Flags = PciConnect.PcieRootPort | PciConnect.DmiToPciBridge;
                break;
        }
        return bus;
    }

    public static bool Compatible(LibvirtPciAddress addr, PciConnect busFlags, PciConnect devFlags, bool fromConfig)
    {
        if ((devFlags & PciConnect.Integrated) != 0)
        {
            if (addr.Bus != 0) return false;
            busFlags |= PciConnect.AutoAssign;
        }
        if (fromConfig)
        {
            if ((busFlags & PciConnect.Endpoint) != 0) busFlags |= PciConnect.Endpoint;
            if ((devFlags & PciConnect.PciBridge) != 0) devFlags |= PciConnect.PciDevice;
        }
        else if ((devFlags & PciConnect.AutoAssign) != 0 && (busFlags & PciConnect.AutoAssign) == 0)
        {
            return false;
        }
        if ((devFlags & PciConnect.Hotpluggable) != 0 && (busFlags & PciConnect.Hotpluggable) == 0) return false;
        return (devFlags & busFlags & PciConnect.Types) != 0;
    }

    public bool SlotInUse(LibvirtPciAddress a) => a.Bus < Buses.Count && Buses[a.Bus].Functions[a.Slot] != 0;

    /// <summary>Reserves one function (virDomainPCIAddressReserveAddrInternal); false (with a problem noted) when libvirt would refuse.</summary>
    public bool Reserve(ref LibvirtPciAddress addr, PciConnect flags, bool fromConfig)
    {
        if (DryRun) Grow(ref addr, flags);
        if (addr.Bus >= Buses.Count)
        {
            Problems.Add($"PCI address {Show(addr)}: only buses up to {Buses.Count - 1} exist");
            return false;
        }
        var bus = Buses[addr.Bus];
        if (!Compatible(addr, bus.Flags, flags, fromConfig))
        {
            Problems.Add($"PCI address {Show(addr)}: the device cannot be plugged into the {bus.Model.Name()} controller with index {addr.Bus}");
            return false;
        }
        if (addr.Slot < bus.MinSlot || addr.Slot > bus.MaxSlot)
        {
            Problems.Add($"PCI address {Show(addr)}: slot must be between {bus.MinSlot} and {bus.MaxSlot} on a {bus.Model.Name()}");
            return false;
        }
        if ((bus.Functions[addr.Slot] & (1 << addr.Function)) != 0)
        {
            Problems.Add($"PCI address {Show(addr)} is used twice");
            return false;
        }
        if (bus.Functions[addr.Slot] == 0 && (flags & PciConnect.AggregateSlot) != 0) bus.Aggregate[addr.Slot] = true;
        bus.Functions[addr.Slot] |= 1 << addr.Function;
        return true;
    }

    /// <summary>The next free address for a device (virDomainPCIAddressGetNextAddr + ReserveNextAddr); function -1 = any.</summary>
    public LibvirtPciAddress? ReserveNext(PciConnect flags, int function = -1)
    {
        var next = FindNext(flags, function);
        if (next is not { } a) return null;
        return Reserve(ref a, flags, fromConfig: false) ? a : null;
    }

    private LibvirtPciAddress? FindNext(PciConnect flags, int function)
    {
        var fn = function == -1 ? 0 : function;
        for (var b = 0; b < Buses.Count; b++)
        {
            var bus = Buses[b];
            if (!Compatible(new LibvirtPciAddress(b, 0, fn), bus.Flags, flags, fromConfig: false)) continue;
            for (var slot = bus.MinSlot; slot <= bus.MaxSlot; slot++)
            {
                if (bus.Functions[slot] == 0) return new LibvirtPciAddress(b, slot, fn);
                if ((flags & PciConnect.AggregateSlot) != 0 && bus.Aggregate[slot])
                {
                    if ((bus.Functions[slot] & (1 << fn)) == 0) return new LibvirtPciAddress(b, slot, fn);
                    if (function == -1)
                    {
                        for (; fn < 8; fn++)
                            if ((bus.Functions[slot] & (1 << fn)) == 0) return new LibvirtPciAddress(b, slot, fn);
                        fn = 0;
                    }
                }
            }
        }
        if (!DryRun) return null;
        var grown = new LibvirtPciAddress(Buses.Count, 0, fn);
        if (!Grow(ref grown, flags)) return null;
        return grown with { Slot = Buses[grown.Bus].MinSlot };
    }

    /// <summary>Adds the buses an address needs (virDomainPCIAddressSetGrow); false when libvirt cannot auto-add one.</summary>
    private bool Grow(ref LibvirtPciAddress addr, PciConnect flags)
    {
        var add = addr.Bus - Buses.Count + 1;
        if (add <= 0) return true;
        PciControllerKind model;
        var needPcieToPci = false;
        var needDmiToPci = false;
        if ((flags & PciConnect.PciDevice) != 0)
        {
            model = PciControllerKind.PciBridge;
            var anyBridgeBus = Buses.Any(b => (b.Flags & PciConnect.PciBridge) != 0);
            needPcieToPci = !anyBridgeBus && pcieToPciBridgeSupported;
            needDmiToPci = !anyBridgeBus && !pcieToPciBridgeSupported;
            if ((needPcieToPci || needDmiToPci) && add == 1)
            {
                add++;
                addr = addr with { Bus = addr.Bus + 1 };
            }
        }
        else if ((flags & (PciConnect.PcieDevice | PciConnect.PcieSwitchUpstreamPort)) != 0)
        {
            model = PciControllerKind.PcieRootPort;
        }
        else
        {
            Problems.Add("no PCI slot is free for a controller libvirt cannot add by itself");
            return false;
        }
        var first = Buses.Count;
        for (var k = 0; k < add; k++) Buses.Add(null!);
        var i = first;
        if (needDmiToPci) Buses[i++] = NewBus(PciControllerKind.DmiToPciBridge, false);
        if (needPcieToPci)
        {
            // A root port that only takes the bridge, so the hotplug spare port is not used up by it.
            var port = NewBus(PciControllerKind.PcieRootPort, true);
            port.Flags = PciConnect.PcieToPciBridge;
            Buses[i++] = port;
            Buses[i++] = NewBus(PciControllerKind.PcieToPciBridge, true);
        }
        for (; i < Buses.Count; i++) Buses[i] = NewBus(model, true);
        return true;
    }

    private static string Show(LibvirtPciAddress a) => $"0000:{a.Bus:x2}:{a.Slot:x2}.{a.Function:x}";
}
