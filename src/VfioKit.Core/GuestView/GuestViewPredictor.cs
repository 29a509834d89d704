using VfioKit.Formats.Qemu;
using VfioKit.Pci;
using VfioKit.Vm;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.GuestView;

/// <summary>
/// Predicts what a guest sees: for every device its path, its guest address, its PCIe type and link and
/// its port's link, plus the problems QEMU would raise. Pure: the topology in, the prediction out.
/// </summary>
public static class GuestViewPredictor
{
    /// <summary>
    /// Predicts for QEMU <paramref name="qemu"/> (default: the newest vfiokit knows). <paramref name="host"/>
    /// tells the type and link of passed-through host functions when known (e.g. from a host snapshot).
    /// </summary>
    public static GuestViewResult Predict(VmTopology topology, MachineVersion? qemu = null, Func<VmDevice, HostFunction?>? host = null)
    {
        var qemuVersion = qemu ?? MachineVersion.Newest;
        var t = topology.Devices.Any(d => d.IsImplicit) && topology.IsPlaced ? topology : QemuAddressing.Place(topology);
        var machineVersion = t.Machine.EffectiveVersion(qemuVersion);
        var problems = QemuConstraints.Check(t, qemuVersion).ToList();
        var addresses = BusEnumeration.Enumerate(t);

        // First pass: each device's own outcome (ports need function 0's link for their status).
        var outcomes = new Dictionary<VmDevice, (ExpressRules.Outcome Outcome, BusContext? Bus, PciLink? PortCap)>(ReferenceEqualityComparer.Instance);
        foreach (var d in t.Devices)
        {
            var bus = d.Placement is null ? null : t.FindBus(d.Placement.Bus);
            var context = bus is null ? null : BusContext.Of(bus, t);
            PciLink? ownCap = d.Controller is { } m && (m.IsPort() || m is ControllerModel.SwitchUpstream or ControllerModel.PciePciBridge)
                ? PortLinks.Capability(d, t, qemuVersion, machineVersion)
                : (PciLink?)null;
            var portCap = context?.Port is { } port ? PortLinks.Capability(port, t, qemuVersion, machineVersion) : (PciLink?)null;
            var outcome = context is null
                ? new ExpressRules.Outcome(GuestDeviceKind.NotVisible, null, false, false)
                : ExpressRules.For(d, context, d.IsPassthrough ? host?.Invoke(d) : null, ownCap);
            outcomes[d] = (outcome, context, portCap);
        }

        // A port's Link Status reads its device 0's Link Status, and a port's own is computed the same
        // way when it is read (pci_default_read_config calls pcie_sync_bridge_lnk), so chains of ports recurse.
        var statuses = new Dictionary<VmDevice, PciLink?>(ReferenceEqualityComparer.Instance);
        PciLink? StatusOf(VmDevice port, int depth)
        {
            if (statuses.TryGetValue(port, out var known)) return known;
            var cap = outcomes[port].Outcome.Link;
            PciLink? status = null;
            if (cap is { } c && depth < 32)
            {
                var f0 = t.SecondaryBusOf(port) is not { } own ? null : t.On(own).FirstOrDefault(x => x.Placement!.Address.Devfn == 0);
                var f0Outcome = f0 is null ? null : outcomes[f0].Outcome;
                var f0Status = f0 is not null && f0.Controller is { } m && m.IsPort() ? StatusOf(f0, depth + 1) : f0Outcome?.Link;
                status = PortLinks.Status(c, f0Status, f0Outcome?.HasLink ?? false, qemuVersion);
            }
            statuses[port] = status;
            return status;
        }

        var views = new List<GuestDevice>();
        foreach (var d in t.Devices)
        {
            var (outcome, context, portCap) = outcomes[d];
            var visible = addresses.TryGetValue(d, out var guestAddress);
            var portStatus = context?.Port is { } port && portCap is not null ? StatusOf(port, 0) : null;
            views.Add(new GuestDevice(
                d,
                new ValueList<string>(PathOf(d, t)),
                visible ? guestAddress : null,
                visible ? outcome.Sees : GuestDeviceKind.NotVisible,
                visible ? outcome.Link : null,
                portCap,
                portStatus,
                // Config space above 256 bytes needs an express root complex (MMCONFIG): not on i440fx.
                visible && outcome.ExtendedConfigSpace && context is { RootIsExpress: true },
                outcome.Note));
        }

        var ordered = views
            .OrderBy(v => v.GuestAddress is null ? 1 : 0)
            .ThenBy(v => v.GuestAddress ?? default)
            .ToList();
        return new GuestViewResult(t, qemuVersion, machineVersion, new ValueList<GuestDevice>(ordered), new ValueList<TopologyProblem>(problems));
    }

    /// <summary>[root bus, controller ids..., device name]: the chain of buses down to the device.</summary>
    public static IReadOnlyList<string> PathOf(VmDevice device, VmTopology t)
    {
        var path = new List<string> { device.Name };
        var busId = device.Placement?.Bus ?? device.Bus ?? t.RootBusId;
        for (var guard = 0; guard < 64; guard++)
        {
            path.Add(busId);
            var bus = t.FindBus(busId);
            if (bus?.Owner?.Placement?.Bus is not { } parent) break;
            busId = parent;
        }
        path.Reverse();
        return path;
    }
}
