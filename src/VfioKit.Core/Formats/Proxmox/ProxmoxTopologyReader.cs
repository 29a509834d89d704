using VfioKit.Pci;
using VfioKit.Vm;

namespace VfioKit.Formats.Proxmox;

/// <summary>
/// Maps a qemu-server config onto the VM model the way qemu-server builds its QEMU command line:
/// machine, Proxmox's own controllers, and one vfio-pci device per passed-through function.
/// A hostpciN naming a whole slot passes every function of it; which functions exist is a host fact,
/// so the caller may give them (<paramref name="functionsOfSlot"/>); without, function 0 stands for the slot.
/// </summary>
public static class ProxmoxTopologyReader
{
    public static VmTopology Read(ProxmoxConfig config, Func<PciSlot, IReadOnlyList<int>>? functionsOfSlot = null)
    {
        var pm = config.Machine;
        var family = pm.IsQ35 ? MachineFamily.Q35 : MachineFamily.I440fx;
        MachineVersion? version = pm.Major is { } ma && pm.Minor is { } mi ? new MachineVersion(ma, mi) : null;
        var type = pm.IsQ35 ? (version is { } v ? $"pc-q35-{v}" : "q35") : (version is { } w ? $"pc-i440fx-{w}" : "pc");
        var machine = new Machine(family, version, type, ValueList<MachineOption>.Empty);

        var devices = new List<VmDevice>();
        if (pm.IsQ35) devices.AddRange(ProxmoxPlacement.Q35Controllers(pm.IsBefore4));
        var bridgesNeeded = new SortedSet<int>();
        var passthrough = new List<VmDevice>();
        foreach (var hostPci in config.HostPcis)
        {
            var source = new Vm.SourceLocation(config.Path, hostPci.Line.Number, 1, hostPci.Line.Key);
            var hosts = HostFunctions(hostPci, functionsOfSlot);
            string bus;
            int slot;
            if (hostPci.Pcie && pm.IsQ35 && config.Value("ostype") == "win7")
            {
                bus = "pcie.0";
                slot = ProxmoxPlacement.Win7RootBusSlot(hostPci.Index);
            }
            else if (hostPci.Pcie && pm.IsQ35)
            {
                bus = hostPci.RootPortId;
                slot = 0;
                if (hostPci.Index > 3)
                    devices.Add(new VmDevice
                    {
                        Driver = "pcie-root-port", Id = bus, Bus = "pcie.0", Address = ProxmoxPlacement.ExtraRootPortAddress(hostPci.Index),
                        Multifunction = true,
                        Port = new PortSettings(Chassis: hostPci.Index + 1, Port: hostPci.Index + 1, Speed: LinkSpeed.Gen4, Width: 32),
                        Source = source,
                    });
            }
            else
            {
                var (bridge, s) = ProxmoxPlacement.ConventionalSlot(hostPci.Index);
                bus = pm.IsQ35 || bridge > 0 ? $"pci.{bridge}" : "pci.0";
                if (!pm.IsQ35 && bridge > 0) bridgesNeeded.Add(bridge);
                slot = s;
            }
            var multifunction = hosts.Count > 1;
            for (var j = 0; j < hosts.Count; j++)
            {
                passthrough.Add(new VmDevice
                {
                    Driver = "vfio-pci",
                    Id = multifunction ? $"hostpci{hostPci.Index}.{j}" : $"hostpci{hostPci.Index}",
                    Bus = bus,
                    Address = new GuestAddress(slot, multifunction ? j : 0),
                    Multifunction = multifunction && j == 0,
                    Passthrough = j == 0
                        ? new PassthroughSettings(hosts[j], hostPci.RomPath, hostPci.RomBar, hostPci.XVga)
                        : new PassthroughSettings(hosts[j]),
                    Source = source,
                });
            }
        }
        // i440fx: qemu-server adds pci-bridges pci.1/pci.2 on the root bus when a device needs them.
        foreach (var b in bridgesNeeded)
            devices.Add(new VmDevice
            {
                Driver = "pci-bridge", Id = $"pci.{b}", Bus = "pci.0", Address = new GuestAddress(b == 1 ? 30 : 31, 0),
                Bridge = new BridgeSettings(ChassisNr: b),
            });
        devices.AddRange(passthrough);
        // qemu-server gives every device an explicit bus and address, so placing is copying.
        var placed = devices.Select(d => d with
        {
            Placement = new DevicePlacement(d.Bus ?? machine.RootBusId, d.Address ?? default, AddressOrigin.Explicit),
        });
        var generated = new VmTopology(machine, placed.ToList()) { Defaults = DefaultDevices.None };
        // `args:` comes after everything qemu-server generates: its devices are created (and placed) last.
        var args = ProxmoxArgs.Read(config);
        return args.Arguments.Count == 0 ? generated : Qemu.AppendedOptions.AppendTo(generated, args, generatedAsJson: false);
    }

    private static List<HostSource> HostFunctions(HostPci hostPci, Func<PciSlot, IReadOnlyList<int>>? functionsOfSlot)
    {
        if (hostPci.WholeSlot is { } slot)
        {
            var fns = functionsOfSlot?.Invoke(slot) is { Count: > 0 } f ? f : [0];
            return fns.Select(fn => HostSource.FromHost(slot.Function(fn).ToString())).ToList();
        }
        if (hostPci.HostIds.Count == 0)
            // A resource mapping (mapping=NAME) names host devices in /etc/pve/mapping: symbolic here.
            return [new HostSource(hostPci.Mapping is { } m ? "mapping:" + m : "?", null, false)];
        return hostPci.HostIds.Select(h => PciAddress.TryParse(h.Contains(':') && h.Split(':').Length == 2 ? "0000:" + h : h, out var a)
            ? new HostSource(h, a, false) : new HostSource(h, null, false)).ToList();
    }
}
