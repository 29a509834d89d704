using VfioKit.Formats.Qemu;
using VfioKit.Pci;
using VfioKit.Vm;

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

        var views = new List<GuestDevice>();
        foreach (var d in t.Devices)
        {
            var (outcome, context, portCap) = outcomes[d];
            var visible = addresses.TryGetValue(d, out var guestAddress);
            PciLink? portStatus = null;
            if (context?.Port is { } port && portCap is not null)
            {
                var f0 = t.On(port.Id!).FirstOrDefault(x => x.Placement!.Address.Devfn == 0);
                var f0Outcome = f0 is null ? null : outcomes[f0].Outcome;
                portStatus = PortLinks.Status(portCap.Value, f0Outcome?.Link, f0Outcome?.HasLink ?? false, qemuVersion);
            }
            views.Add(new GuestDevice(
                d,
                new ValueList<string>(PathOf(d, t)),
                visible ? guestAddress : null,
                visible ? outcome.Sees : GuestDeviceKind.NotVisible,
                visible ? outcome.Link : null,
                portCap,
                portStatus,
                visible && outcome.ExtendedConfigSpace,
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
