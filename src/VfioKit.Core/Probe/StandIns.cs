using System.Globalization;
using VfioKit.Formats.Qemu;
using VfioKit.Pci;
using VfioKit.Vm;

namespace VfioKit.Probe;

/// <summary>
/// Builds the stand-in VM of a topology. Which QEMU model stands in for a vfio-pci function is decided
/// by where it sits, because what the guest sees of vfio-pci depends on the bus (hw/vfio/pci.c
/// vfio_setup_pcie_cap), and the models below were seen in real guests (QEMU 7.2, Linux 6.1) to do the same:
/// <list type="bullet">
/// <item>On a PCI Express bus (pcie.0, a pxb-pcie bus, behind a root or downstream port): vfio-pci shows an
/// integrated endpoint on a root bus and an Endpoint behind a port. bochs-display (display, class 0380),
/// qemu-xhci (USB 0c03), e1000e (network 0200) and nvme (storage 0108) all do the same.</item>
/// <item>On a conventional bus of a PCI Express machine (pci-bridge, pcie-pci-bridge on q35): vfio-pci hides
/// its PCIe capability. bochs-display, qemu-xhci, virtio-net-pci and virtio-blk-pci have none there;
/// e1000e and nvme would keep theirs, so they are not used there.</item>
/// <item>On a conventional machine (i440fx): vfio-pci keeps the capability as-is (an Endpoint) with no
/// extended config space. e1000e and nvme keep theirs; bochs-display and qemu-xhci would drop it.</item>
/// </list>
/// What no stand-in reproduces: the host function's physical link (LnkCap/LnkSta/LnkCap2 of a real GPU;
/// stand-ins show 2.5GT/s x1), hence the Link Status of the port above it; its BARs, option ROM, MSI-X
/// table and vendor capabilities; its class when QEMU has no model of that class with the same behaviour
/// (HD audio, 0403, stands in as qemu-xhci).
/// </summary>
public static class StandIns
{
    /// <summary>Backend properties: they name things (disks, sockets, shared memory) that the probe replaces.</summary>
    private static readonly HashSet<string> BackendKeys = ["drive", "netdev", "chardev", "memdev", "romfile", "bootindex", "fsdev", "iothread"];

    /// <summary>Machine options that name objects the probe does not create or an accelerator it chooses itself.</summary>
    private static readonly HashSet<string> DroppedMachineOptions =
        ["accel", "memory-backend", "confidential-guest-support", "memory-encryption", "sgx-epc", "hmat", "kvm-shadow-mem", "nvdimm",
         "pflash0", "pflash1"];

    /// <summary>An empty romfile: no option ROM. SeaBIOS would run every NIC's iPXE ROM under TCG, seconds for
    /// nothing the probe reads (the ROM BAR is a stand-in limit anyway).</summary>
    private static readonly DeviceProperty NoRom = new("romfile", "");

    /// <summary>Memory per guest NUMA node: enough for the probe kernel and initramfs.</summary>
    public const int NodeMemoryMiB = 256;

    /// <param name="topology">The user's topology, placed (as the QEMU reader returns it).</param>
    /// <param name="hostClass">The class of a vfio-pci function's host device, when known (read from the host's sysfs).</param>
    /// <param name="pinAddresses">Write every device's placed bus and address explicitly. For topologies whose
    /// addresses were filled in by someone other than QEMU (libvirt places devices itself and passes them
    /// explicitly); a QEMU command line is booted as written so QEMU's own placement is what is checked.</param>
    public static StandInMachine Build(VmTopology topology, Func<VmDevice, PciClass?>? hostClass = null, bool pinAddresses = false)
    {
        var rootIsExpress = topology.Machine.Family == MachineFamily.Q35;
        var devices = new List<VmDevice>();
        var standIns = new List<StandIn>();
        var backends = new List<string>();
        var dropped = new List<string>();
        var counter = 0;

        foreach (var configured in topology.Devices)
        {
            var device = pinAddresses && !configured.IsImplicit && configured.Placement is { } placed
                ? configured with { Bus = placed.Bus, Address = placed.Address }
                : configured;
            if (device.IsImplicit)
            {
                devices.Add(device);
                continue;
            }
            if (device.IsPassthrough)
            {
                var bus = topology.FindBus(device.Placement?.Bus ?? device.Bus ?? topology.RootBusId);
                var cls = hostClass?.Invoke(device);
                // x-vga or an option ROM file only make sense for a display function: a GPU.
                var assumed = cls is null && device.Passthrough is { } pt && (pt.XVga || pt.RomFile is not null);
                if (assumed) cls = PciClass.FromCode(0x030000);
                var (driver, modelClass) = Choose(bus?.Kind ?? (rootIsExpress ? BusKind.PcieRoot : BusKind.PciRoot), rootIsExpress, cls);
                var props = new List<DeviceProperty> { NoRom };
                AddBackends(driver, ++counter, props, backends);
                var replacement = new VmDevice
                {
                    Driver = driver,
                    Id = device.Id,
                    Bus = device.Bus,
                    Address = device.Address,
                    Multifunction = device.Multifunction,
                    Properties = new ValueList<DeviceProperty>(props),
                    Placement = device.Placement,
                    Source = device.Source,
                };
                var matches = !assumed && cls is { } c && c.Base == (modelClass >> 16);
                var limits = new List<string>
                {
                    "the physical link (stand-ins show 2.5GT/s x1)",
                    "BARs, option ROM, MSI-X and vendor capabilities",
                };
                if (assumed)
                    limits.Add($"the class: the host function could not be read; x-vga/romfile make it a display function, so {driver}");
                else if (!matches)
                    limits.Add(cls is { } known
                        ? $"the class {known} ({known.Name}): QEMU has no model of it that vfio-pci's PCIe type rules fit; {driver} is class {PciClass.FromCode(modelClass)}"
                        : $"the class: the host function could not be read; {driver} is class {PciClass.FromCode(modelClass)}");
                standIns.Add(new StandIn(configured, replacement, cls, matches, new ValueList<string>(limits)));
                devices.Add(replacement);
                continue;
            }
            devices.Add(WithNullBackends(device, ref counter, backends));
        }

        var machine = topology.Machine with
        {
            Options = new ValueList<MachineOption>(topology.Machine.Options.Where(o =>
            {
                if (!DroppedMachineOptions.Contains(o.Key)) return true;
                dropped.Add($"-machine {o.Key}={o.Value}");
                return false;
            })),
        };
        foreach (var u in topology.Unsupported) dropped.Add(u);
        var standInTopology = topology with
        {
            Machine = machine,
            Devices = new ValueList<VmDevice>(devices),
            // Globals naming backends (cfi.pflash01.drive=..., isa-fdc.driveA=...) would point at nothing.
            Globals = new ValueList<GlobalProperty>(topology.Globals.Where(g =>
                g.Driver != "vfio-pci" && !BackendKeys.Contains(g.Property) && !g.Property.StartsWith("drive", StringComparison.Ordinal))),
            Unsupported = ValueList<string>.Empty,
        };

        var arguments = new List<string>(QemuCommandLine.ToArgv(standInTopology));
        arguments.AddRange(Memory(topology));
        arguments.AddRange(backends);
        return new StandInMachine(topology, standInTopology, new ValueList<StandIn>(standIns), arguments, new ValueList<string>(dropped));
    }

    /// <summary>The stand-in model for a vfio-pci function on a bus of the given kind, and that model's class code.</summary>
    public static (string Driver, int ClassCode) Choose(BusKind bus, bool rootIsExpress, PciClass? hostClass)
    {
        var b = hostClass?.Base ?? 0xff;
        var storage = hostClass is { BaseAndSub: 0x0108 } or { Base: 0x01 };
        if (bus.IsExpress())
            return b switch
            {
                0x03 => ("bochs-display", 0x038000),
                0x02 => ("e1000e", 0x020000),
                0x0c when hostClass!.Value.BaseAndSub == 0x0c03 => ("qemu-xhci", 0x0c0330),
                _ when storage => ("nvme", 0x010802),
                _ => ("qemu-xhci", 0x0c0330),
            };
        if (rootIsExpress)
            return b switch
            {
                0x03 => ("bochs-display", 0x038000),
                0x02 => ("virtio-net-pci", 0x020000),
                _ when storage => ("virtio-blk-pci", 0x010000),
                _ => ("qemu-xhci", 0x0c0330),
            };
        return storage ? ("nvme", 0x010802) : ("e1000e", 0x020000);
    }

    private static void AddBackends(string driver, int n, List<DeviceProperty> props, List<string> backends)
    {
        if (driver is "nvme" or "virtio-blk-pci")
        {
            var node = string.Create(CultureInfo.InvariantCulture, $"probe-drive{n}");
            if (driver == "nvme") props.Add(new DeviceProperty("serial", node));
            props.Add(new DeviceProperty("drive", node));
            backends.AddRange(["-blockdev", $"driver=null-co,node-name={node}"]);
        }
    }

    /// <summary>An emulated device as configured, its backends replaced by null ones (a null disk, a null chardev,
    /// RAM for shared memory), NIC backends and boot order dropped, and no option ROM.</summary>
    private static VmDevice WithNullBackends(VmDevice device, ref int counter, List<string> backends)
    {
        if (device.Controller is not null) return device;
        var props = new List<DeviceProperty> { NoRom };
        // Models that refuse to start without their backend get a null one even when the configuration names
        // none (a libvirt <disk> or <shmem> carries its backend elsewhere).
        if (RequiredBackend(device.Driver) is { } key && !device.Properties.Any(p => p.Key == key))
        {
            props.Add(new DeviceProperty(key, "required"));
            if (device.Driver == "nvme" && !device.Properties.Any(p => p.Key == "serial"))
                props.Add(new DeviceProperty("serial", string.Create(CultureInfo.InvariantCulture, $"probe-serial{counter + 1}")));
        }
        var wanted = props.Skip(1).ToList();
        props.RemoveRange(1, props.Count - 1);
        foreach (var p in wanted.Concat(device.Properties))
        {
            if (!BackendKeys.Contains(p.Key))
            {
                props.Add(p);
                continue;
            }
            var name = string.Create(CultureInfo.InvariantCulture, $"probe-{p.Key}{++counter}");
            switch (p.Key)
            {
                case "drive":
                    backends.AddRange(["-blockdev", $"driver=null-co,node-name={name}"]);
                    props.Add(p with { Value = name });
                    break;
                case "chardev":
                    backends.AddRange(["-chardev", $"null,id={name}"]);
                    props.Add(p with { Value = name });
                    break;
                case "memdev":
                    backends.AddRange(["-object", $"memory-backend-ram,id={name},size=2M,share=on"]);
                    props.Add(p with { Value = name });
                    break;
                case "iothread":
                    // virtio-blk/scsi refuse an iothread the command line does not define (the user's -object is not carried).
                    backends.AddRange(["-object", $"iothread,id={name}"]);
                    props.Add(p with { Value = name });
                    break;
            }
        }
        return device with { Properties = new ValueList<DeviceProperty>(props) };
    }

    /// <summary>The backend property a model cannot start without, or null.</summary>
    private static string? RequiredBackend(string driver) => driver switch
    {
        "nvme" => "drive",
        _ when driver.StartsWith("virtio-blk-pci", StringComparison.Ordinal) => "drive",
        "ivshmem-plain" => "memdev",
        "ivshmem-doorbell" or "pci-serial" or "pci-serial-2x" or "pci-serial-4x" => "chardev",
        _ => null,
    };

    /// <summary>-m, and when a pxb-pcie names a NUMA node, nodes 0..N (the user's -numa options are not part of the topology).</summary>
    private static IEnumerable<string> Memory(VmTopology topology)
    {
        var named = topology.Devices.Where(d => d.Expander?.NumaNode is not null).Select(d => d.Expander!.NumaNode!.Value).ToList();
        var nodes = named.Count == 0 ? 1 : 1 + named.Max();
        yield return "-m";
        yield return string.Create(CultureInfo.InvariantCulture, $"{nodes * NodeMemoryMiB}M");
        // Without -numa QEMU has no nodes at all and refuses any numa_node, even 0.
        if (named.Count == 0) yield break;
        for (var n = 0; n < nodes; n++)
        {
            yield return "-object";
            yield return string.Create(CultureInfo.InvariantCulture, $"memory-backend-ram,id=probe-mem{n},size={NodeMemoryMiB}M");
            yield return "-numa";
            yield return string.Create(CultureInfo.InvariantCulture, $"node,nodeid={n},memdev=probe-mem{n}");
        }
    }
}
