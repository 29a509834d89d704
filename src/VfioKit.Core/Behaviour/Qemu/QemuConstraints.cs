using System.Globalization;
using VfioKit.Vm;

namespace VfioKit.Behaviour.Qemu;

/// <summary>
/// The configuration errors QEMU raises at startup (it stops at the first; all are listed here) and the
/// mistakes it accepts but the guest pays for. Messages quote QEMU's own where there is one.
/// </summary>
public static class QemuConstraints
{
    public static IReadOnlyList<TopologyProblem> Check(VmTopology t, MachineVersion qemu)
    {
        var problems = new List<TopologyProblem>();
        void Error(VmDevice d, string message) => problems.Add(new TopologyProblem(ProblemSeverity.Error, message, d.Name, d.Source));
        void Warn(VmDevice d, string message) => problems.Add(new TopologyProblem(ProblemSeverity.Warning, message, d.Name, d.Source));

        foreach (var r in t.Removed.Where(r => qemu >= r.RemovedIn))
            problems.Add(new TopologyProblem(ProblemSeverity.Error,
                $"invalid option {r.Option}: removed in QEMU {r.RemovedIn} (instead: {r.Instead})", r.Option, r.Source));

        var devices = t.Devices;
        var index = new Dictionary<VmDevice, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < devices.Count; i++) index[devices[i]] = i;

        // qdev: ids are unique (qdev_set_id "Duplicate ID").
        foreach (var g in devices.Where(d => d.Id is not null).GroupBy(d => d.Id))
            foreach (var d in g.Skip(1)) Error(d, $"Duplicate ID '{d.Id}' for device");

        foreach (var d in devices)
        {
            if (d.IsImplicit) continue;
            var busId = d.Placement?.Bus ?? d.Bus;
            var bus = busId is null ? null : t.FindBus(busId);
            if (busId is not null && (bus is null || (bus.Owner is { } owner && index[owner] > index[d])))
                Error(d, $"Bus '{busId}' not found");
            else if (d.Placement is null)
                Error(d, $"PCI: no slot/function available for {d.Driver}, all in use or reserved");
            if (bus is null || d.Placement is null) continue;

            var a = d.Placement.Address;
            if (bus.Kind == BusKind.PcieSlot && a.Slot != 0)
                Warn(d, string.Create(CultureInfo.InvariantCulture,
                    $"PCI: slot {a.Slot} is not valid for {d.Driver}, parent device only allows plugging into slot 0 (the guest will not see it)"));
            if (a.Slot == 0 && BridgeHotplugIsShpc(t, bus, qemu))
                Error(d, "Unsupported PCI slot 0 for standard hotplug controller. Valid slots are between 1 and 31.");
            if (bus.Owner?.Controller == ControllerModel.PcieExpander && !IsBridge(d))
                Error(d, "PCI: Only PCI/PCIe bridges can be plugged into pxb-pcie");
        }

        AddressConflicts(devices, index, Error, Warn);
        PortSlots(devices, Error);
        PortSpeeds(t, qemu, Error);
        PassthroughHosts(devices, Error);
        ExpanderNumbers(t, Warn);
        return problems;
    }

    /// <summary>
    /// hw/pci/shpc.c shpc_device_hotplug_common refuses slot 0. A bridge's SHPC handles its hotplug on q35 machine
    /// types before 6.1, which lack ACPI hotplug on bridges (pc_compat_6_0: ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off);
    /// i440fx has had ACPI bridge hotplug throughout. Seen by the probe: pc-q35-6.0 refuses, pc-q35-6.1 accepts.
    /// </summary>
    private static bool BridgeHotplugIsShpc(VmTopology t, VmBus bus, MachineVersion qemu)
    {
        var shpcBridge = bus.Owner?.Controller switch
        {
            ControllerModel.PciBridge => bus.Owner.Bridge?.Shpc != false,
            ControllerModel.PciePciBridge => true,
            _ => false,
        };
        if (!shpcBridge || t.Machine.Family != MachineFamily.Q35) return false;
        var acpi = t.Global("ICH9-LPC", "acpi-pci-hotplug-with-bridge-support");
        if (acpi is not null) return acpi is "off" or "false" or "no";
        return t.Machine.EffectiveVersion(qemu) < new MachineVersion(6, 1);
    }

    private static bool IsBridge(VmDevice d) => d.Controller is { } m && !m.IsExpander();

    /// <summary>hw/pci/pci.c do_pci_register_device ("in use by") and pci_init_multifunction.</summary>
    private static void AddressConflicts(IReadOnlyList<VmDevice> devices, Dictionary<VmDevice, int> index,
        Action<VmDevice, string> error, Action<VmDevice, string> warn)
    {
        var placed = devices.Where(d => d.Placement is not null).ToList();
        foreach (var g in placed.GroupBy(d => (d.Placement!.Bus, d.Placement.Address.Devfn)))
        {
            var first = g.First();
            foreach (var d in g.Skip(1))
            {
                var a = d.Placement!.Address;
                error(d, string.Create(CultureInfo.InvariantCulture,
                    $"PCI: slot {a.Slot} function {a.Function} not available for {d.Driver}, in use by {first.Driver},id={first.Id ?? "(null)"}"));
            }
        }
        foreach (var slot in placed.GroupBy(d => (d.Placement!.Bus, d.Placement.Address.Slot)))
        {
            var fn0 = slot.FirstOrDefault(d => d.Placement!.Address.Function == 0);
            var others = slot.Where(d => d.Placement!.Address.Function != 0).ToList();
            if (others.Count == 0) continue;
            if (fn0 is null)
            {
                foreach (var d in others)
                    warn(d, string.Create(CultureInfo.InvariantCulture,
                        $"slot {d.Placement!.Address.Slot:x} has no function 0: the guest will not see {d.Name} at function {d.Placement.Address.Function}"));
                continue;
            }
            if (fn0.Multifunction) continue;
            foreach (var d in others)
            {
                var a = d.Placement!.Address;
                error(index[d] > index[fn0] ? d : fn0, index[d] > index[fn0]
                    ? string.Create(CultureInfo.InvariantCulture, $"PCI: single function device can't be populated in function {a.Slot:x}.{a.Function:x} (add multifunction=on to {fn0.Name} at function 0)")
                    : string.Create(CultureInfo.InvariantCulture, $"PCI: {a.Slot:x}.0 indicates single function, but {a.Slot:x}.{a.Function:x} is already populated. (add multifunction=on to {fn0.Name})"));
            }
        }
    }

    /// <summary>hw/pci/pcie_port.c pcie_chassis_add_slot: (chassis, slot) unique among ports; both default to 0.</summary>
    private static void PortSlots(IReadOnlyList<VmDevice> devices, Action<VmDevice, string> error)
    {
        var seen = new Dictionary<(int, int), VmDevice>();
        foreach (var d in devices)
        {
            if (d.Controller is not { } m || !m.IsPort()) continue;
            var key = (d.Port?.Chassis ?? 0, d.Port?.Slot ?? 0);
            if (seen.TryGetValue(key, out var first))
                error(d, string.Create(CultureInfo.InvariantCulture,
                    $"Can't add chassis slot, error -16 (chassis {key.Item1} slot {key.Item2} is already {first.Name}'s; give each port its own chassis or slot)"));
            else
                seen[key] = d;
        }
    }

    /// <summary>x-speed/x-width exist from QEMU 4.0; 32 and 64 GT/s from 9.0 (qapi/common.json PCIELinkSpeed).</summary>
    private static void PortSpeeds(VmTopology t, MachineVersion qemu, Action<VmDevice, string> error)
    {
        foreach (var d in t.Devices)
        {
            if (d.Port is not { } p) continue;
            if ((p.Speed is not null || p.Width is not null) && d.Controller != ControllerModel.PcieRootPort)
                error(d, $"Property '{d.Driver}.{(p.Speed is not null ? PortLinkProperties.Speed : PortLinkProperties.Width)}' not found");
            else if ((p.Speed is not null || p.Width is not null) && qemu < PortLinks.LinkSpeedsIntroduced)
                error(d, $"Property '{d.Driver}.x-speed' not found (x-speed/x-width need QEMU 4.0)");
            else if (p.Speed is { } s && s.Encoding >= 5 && qemu < PortLinks.FastSpeedsIntroduced)
                error(d, $"Parameter 'x-speed' does not accept value '{(int)s.GTs}' (32 and 64 GT/s need QEMU 9.0)");
        }
    }

    /// <summary>The same host function cannot be passed through twice.</summary>
    private static void PassthroughHosts(IReadOnlyList<VmDevice> devices, Action<VmDevice, string> error)
    {
        foreach (var g in devices.Where(d => d.Passthrough is not null).GroupBy(d => d.Passthrough!.Host.Key))
            foreach (var d in g.Skip(1))
                error(d, $"vfio {g.Key}: device is already attached");
    }

    /// <summary>A pxb-pcie's bus_nr must be above every bus number the root bus hands out, or the guest's buses collide.</summary>
    private static void ExpanderNumbers(VmTopology t, Action<VmDevice, string> warn)
    {
        var rootBridges = CountBridgesBelow(t, t.RootBusId, 0);
        foreach (var d in t.Devices.Where(d => d.Controller == ControllerModel.PcieExpander || d.Controller == ControllerModel.PciExpander))
        {
            var busNr = d.Expander?.BusNr ?? 0;
            if (busNr <= rootBridges)
                warn(d, string.Create(CultureInfo.InvariantCulture,
                    $"bus_nr={busNr} is not above the {rootBridges} bus numbers the root bus uses: the guest's bus numbers will collide"));
        }
    }

    private static int CountBridgesBelow(VmTopology t, string busId, int depth = 0)
    {
        var n = 0;
        if (depth > 32) return n;
        foreach (var d in t.On(busId))
            if (d.Controller is { } m && !m.IsExpander())
                n += 1 + (t.SecondaryBusOf(d) is { } own ? CountBridgesBelow(t, own, depth + 1) : 0);
        return n;
    }
}
