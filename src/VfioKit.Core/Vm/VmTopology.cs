namespace VfioKit.Vm;

/// <summary>
/// A VM's PCI/PCI Express tree: the machine, its devices in configuration order (controllers included;
/// the machine's own devices too once placed, marked <see cref="AddressOrigin.Implicit"/>), -global
/// defaults, and which default devices are switched off. Format-neutral: QEMU argv, libvirt XML and
/// Proxmox configs are read into it and written from it.
/// </summary>
public sealed record VmTopology(Machine Machine, ValueList<VmDevice> Devices)
{
    public ValueList<GlobalProperty> Globals { get; init; } = ValueList<GlobalProperty>.Empty;

    public DefaultDevices Defaults { get; init; } = DefaultDevices.Qemu;

    /// <summary>Options read but not modelled (e.g. "-readconfig FILE"), so users are told what was ignored.</summary>
    public ValueList<string> Unsupported { get; init; } = ValueList<string>.Empty;

    /// <summary>Options QEMU no longer accepts, as written, with the release that removed them.</summary>
    public ValueList<RemovedOption> Removed { get; init; } = ValueList<RemovedOption>.Empty;
    /// <summary>Values of a launch script known only when it runs ("$@", $(cmd)) where options go: read around, and said.</summary>
    public ValueList<RunTimeValue> RunTime { get; init; } = ValueList<RunTimeValue>.Empty;

    /// <summary>The machine's root bus id: "pcie.0" or "pci.0".</summary>
    public string RootBusId => Machine.RootBusId;

    /// <summary>Every bus: the root bus first, then one per controller with an id, in configuration order.</summary>
    public IReadOnlyList<VmBus> Buses
    {
        get
        {
            var buses = new List<VmBus>
            {
                new(RootBusId, Machine.Family == MachineFamily.Q35 ? BusKind.PcieRoot : BusKind.PciRoot, null),
            };
            // A controller whose id is the root bus's name provides a bus no bus= can reach: QEMU finds the
            // machine's root bus by that name first (a port with id=pcie.0 leaves every device on the real pcie.0).
            foreach (var d in Devices)
                if (d.Controller is { } model && d.Id is not null && d.Id != RootBusId)
                    buses.Add(new VmBus(d.Id, model.SecondaryBus(), d));
            return buses;
        }
    }

    public VmBus? FindBus(string id)
    {
        foreach (var b in Buses) if (b.Id == id) return b;
        return null;
    }

    /// <summary>The id by which devices reach a controller's secondary bus, or null when none can: no id, or an
    /// id another bus answers to first (QEMU's qbus_find_recursive finds the machine's pcie.0 before a port
    /// named pcie.0, so that port's bus stays empty).</summary>
    public string? SecondaryBusOf(VmDevice controller) =>
        controller.Id is { } id && ReferenceEquals(FindBus(id)?.Owner, controller) ? id : null;

    public VmDevice? FindDevice(string id)
    {
        foreach (var d in Devices) if (d.Id == id) return d;
        return null;
    }

    /// <summary>Devices sitting on the given bus (by their placement), in configuration order.</summary>
    public IEnumerable<VmDevice> On(string busId) => Devices.Where(d => d.Placement?.Bus == busId);

    /// <summary>The value of a -global for a driver's property (the last one wins, as in QEMU).</summary>
    public string? Global(string driver, string property)
    {
        string? value = null;
        foreach (var g in Globals) if (g.Driver == driver && g.Property == property) value = g.Value;
        return value;
    }

    /// <summary>True when every device has a placement.</summary>
    public bool IsPlaced => Devices.All(d => d.Placement is not null);

    /// <summary>Devices the configuration names (not the machine's implicit ones).</summary>
    public IEnumerable<VmDevice> Configured => Devices.Where(d => !d.IsImplicit);

    public override string ToString() =>
        $"{Machine.Type}: " + string.Join("; ", Devices.Select(d => d.ToString()));
}
