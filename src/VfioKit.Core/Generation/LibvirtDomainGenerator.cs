using System.Globalization;
using System.Xml.Linq;
using VfioKit.Formats.Libvirt;
using VfioKit.Formats.Libvirt.Xml;
using VfioKit.Planning;
using VfioKit.Vm;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Generation;

/// <summary>Renders a <see cref="VmBlueprint"/> as a libvirt domain (9.0 schema; passes virt-xml-validate).</summary>
public static class LibvirtDomainGenerator
{
    private static readonly XNamespace Qemu = "http://libvirt.org/schemas/domain/qemu/1.0";

    public static string Write(VmBlueprint vm)
    {
        VmNames.CheckLibvirt(vm.Name);
        var nodes = new List<XNode> { C($"{vm.Name}: GPU passthrough VM written by `vfiokit new`; `vfiokit lint` checks it. Define it with: virsh define FILE") };
        nodes.AddRange(vm.Notes.Select(note => C($"note: {note}")));
        nodes.Add(new XElement("domain", new XAttribute("type", "kvm"), new XAttribute(XNamespace.Xmlns + "qemu", Qemu.NamespaceName),
            new XElement("name", vm.Name),
            new XElement("memory", new XAttribute("unit", "KiB"), I(vm.MemoryBytes / 1024)),
            new XElement("currentMemory", new XAttribute("unit", "KiB"), I(vm.MemoryBytes / 1024)),
            MemoryBacking(vm),
            new XElement("vcpu", new XAttribute("placement", "static"), I(vm.Vcpus)),
            new XElement("iothreads", "1"),
            C("vCPUs pinned per the planner: guest SMT pairs on one host core's siblings, GPU-local node; emulator and I/O thread on the kept core"),
            Cputune(vm),
            C("guest memory bound (strict) to the host node(s) of the vCPUs and GPU"),
            Numatune(vm),
            Os(vm),
            Features(vm),
            C("host-passthrough: the guest gets every host CPU feature; topology mirrors the pinned cores and L3 domains"),
            Cpu(vm),
            Clock(vm),
            new XElement("on_poweroff", "destroy"),
            new XElement("on_reboot", "restart"),
            new XElement("on_crash", "destroy"),
            Devices(vm),
            QemuCommandline(vm)));
        return ElementText.Of(nodes) + "\n";
    }

    private static XNode[] MemoryBacking(VmBlueprint vm) => vm.PageSizeKiB > 0
        ? [C("hugepages: fewer TLB misses; locked: memory pinned for DMA up front instead of page by page"),
           new XElement("memoryBacking",
               new XElement("hugepages", new XElement("page", new XAttribute("size", I(vm.PageSizeKiB)), new XAttribute("unit", "KiB"))),
               new XElement("locked"))]
        : [C("locked: memory pinned for DMA up front instead of page by page"), new XElement("memoryBacking", new XElement("locked"))];

    private static XElement Cputune(VmBlueprint vm) => new("cputune",
        vm.Cells.SelectMany(cell => cell.Plan.Vcpus.Select(pin =>
            new XElement("vcpupin", new XAttribute("vcpu", I(cell.FirstVcpu + pin.Vcpu)), new XAttribute("cpuset", I(pin.HostCpu))))),
        new XElement("emulatorpin", new XAttribute("cpuset", string.Join(",", vm.Cells.Select(c => c.Plan.EmulatorCpus.ToString())))),
        new XElement("iothreadpin", new XAttribute("iothread", "1"), new XAttribute("cpuset", vm.Cells[0].Plan.IoThreadCpus.ToString())));

    private static XElement Numatune(VmBlueprint vm) => new("numatune",
        new XElement("memory", new XAttribute("mode", "strict"), new XAttribute("nodeset", string.Join(",", vm.Cells.Select(c => I(c.Plan.Memory.Nodes[0]))))),
        vm.Cells.Select(cell => new XElement("memnode", new XAttribute("cellid", I(cell.GuestNode)), new XAttribute("mode", "strict"),
            new XAttribute("nodeset", I(cell.Plan.Memory.Nodes[0])))));

    private static XElement Os(VmBlueprint vm) => new("os",
        new XElement("type", new XAttribute("arch", "x86_64"), new XAttribute("machine", vm.Machine.Type), "hvm"),
        vm.Firmware is { } fw
            ? new XNode[]
            {
                new XElement("loader", new XAttribute("readonly", "yes"), new XAttribute("type", "pflash"), fw.Code),
                C("this VM's own copy of the UEFI variable store, made from the template on first start"),
                new XElement("nvram", new XAttribute("template", fw.VarsTemplate), $"/var/lib/libvirt/qemu/nvram/{vm.SafeName}_VARS.fd"),
            }
            : null,
        new XElement("boot", new XAttribute("dev", "hd")));

    private static XElement Features(VmBlueprint vm)
    {
        var features = new XElement("features", new XElement("acpi"), new XElement("apic"));
        if (vm.Windows)
            features.Add(C("Hyper-V enlightenments: Windows uses paravirtual timers, APIC and spinlocks instead of slow emulated paths"),
                new XElement("hyperv", new XAttribute("mode", "custom"),
                    HyperVEnlightenments.Written.Where(h => h != "time").Select(h => h == "spinlocks"
                        ? new XElement(h, new XAttribute("state", "on"), new XAttribute("retries", I(HyperVEnlightenments.SpinlockRetries)))
                        : new XElement(h, new XAttribute("state", "on"))),
                    vm.Request.HideKvm ? new XElement("vendor_id", new XAttribute("state", "on"), new XAttribute("value", "0123456789ab")) : null));
        if (vm.Request.HideKvm)
            features.Add(C("KVM hidden: only for NVIDIA drivers older than R465 (error 43)"),
                new XElement("kvm", new XElement("hidden", new XAttribute("state", "on"))));
        if (vm.Nvidia)
            features.Add(C("in-kernel IOAPIC: NVIDIA drivers misbehave with the split irqchip"), new XElement("ioapic", new XAttribute("driver", "kvm")));
        features.Add(new XElement("vmport", new XAttribute("state", "off")));
        return features;
    }

    private static XElement Cpu(VmBlueprint vm)
    {
        var g = vm.GuestTopology;
        return new XElement("cpu", new XAttribute("mode", "host-passthrough"), new XAttribute("check", "none"), new XAttribute("migratable", "off"),
            new XElement("topology", new XAttribute("sockets", I(g.Sockets)), new XAttribute("dies", I(g.Dies)),
                new XAttribute("cores", I(g.Cores)), new XAttribute("threads", I(g.Threads))),
            new XElement("cache", new XAttribute("mode", "passthrough")),
            vm.Amd ? new XNode[] { C("AMD guests see SMT siblings and the L3 layout only with topoext"),
                new XElement("feature", new XAttribute("policy", "require"), new XAttribute("name", "topoext")) } : null,
            new XElement("numa", vm.Cells.Select(cell => new XElement("cell", new XAttribute("id", I(cell.GuestNode)),
                new XAttribute("cpus", cell.GuestCpus), new XAttribute("memory", I(cell.MemoryBytes / 1024)), new XAttribute("unit", "KiB")))));
    }

    private static XNode[] Clock(VmBlueprint vm)
    {
        var clock = new XElement("clock", new XAttribute("offset", vm.Windows ? "localtime" : "utc"),
            new XElement("timer", new XAttribute("name", "rtc"), new XAttribute("tickpolicy", "catchup")),
            new XElement("timer", new XAttribute("name", "pit"), new XAttribute("tickpolicy", "delay")),
            new XElement("timer", new XAttribute("name", "hpet"), new XAttribute("present", "no")),
            vm.Windows ? new XElement("timer", new XAttribute("name", "hypervclock"), new XAttribute("present", "yes")) : null);
        return vm.Windows ? [C("Windows keeps the RTC in local time"), clock] : [clock];
    }

    private static XElement Devices(VmBlueprint vm)
    {
        var devices = new XElement("devices",
            new XElement("controller", new XAttribute("type", "pci"), new XAttribute("index", "0"), new XAttribute("model", "pcie-root")),
            C("one pcie-root-port per host device: the guest sees a PCIe Endpoint with a link, not an integrated device on pcie.0"),
            C("every function of a GPU behind one port, function numbers as on the host, multifunction on function 0"),
            vm.Cells.Count > 1 ? C("one pcie-expander-bus per host NUMA node of the GPUs, on the guest node mirroring it: the guest driver sees each GPU's locality") : null,
            LibvirtWriter.Devices(vm.Topology));
        var indexes = LibvirtWriter.ControllerIndexes(vm.Topology);
        if (vm.Disk is { } disk)
            devices.Add(disk.CreateBytes is { } size ? C($"create the image first: qemu-img create -f qcow2 {disk.Path} {QemuSize(size)}") : null,
                new XElement("disk", new XAttribute("type", disk.IsBlockDevice ? "block" : "file"), new XAttribute("device", "disk"),
                    new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", disk.Format), new XAttribute("cache", "none"),
                        new XAttribute("io", "native"), new XAttribute("discard", "unmap"), new XAttribute("iothread", "1")),
                    new XElement("source", new XAttribute(disk.IsBlockDevice ? "dev" : "file", disk.Path)),
                    new XElement("target", new XAttribute("dev", "vda"), new XAttribute("bus", "virtio")),
                    LibvirtWriter.PciAddress(indexes[disk.PortId], 0)));
        devices.Add(new XElement("interface", new XAttribute("type", "network"),
            new XElement("source", new XAttribute("network", "default")),
            new XElement("model", new XAttribute("type", "virtio")),
            LibvirtWriter.PciAddress(indexes[vm.NicPortId], 0)));
        if (vm.LookingGlass is { Kvmfr: false } lg)
            devices.Add(C($"Looking Glass: {lg.Resolution} needs {I(lg.SizeMiB)} MiB (frame x 2 + 10 MiB, next power of two); libvirt backs it by /dev/shm/looking-glass"),
                new XElement("shmem", new XAttribute("name", "looking-glass"),
                    new XElement("model", new XAttribute("type", "ivshmem-plain")),
                    new XElement("size", new XAttribute("unit", "M"), I(lg.SizeMiB)),
                    LibvirtWriter.PciAddress(0, vm.LookingGlassSlot)));
        devices.Add(C("no balloon: memory pinned for passthrough cannot be reclaimed"), new XElement("memballoon", new XAttribute("model", "none")));
        return devices;
    }

    private static XNode[] QemuCommandline(VmBlueprint vm)
    {
        var args = QemuCommandlineArgs(vm);
        if (args.Count == 0) return [];
        return
        [
            C("libvirt has no attribute for a root port's link: -global sets x-speed/x-width of every pcie-root-port to the host GPU's LnkCap\n" +
              "       (libvirt 9 passes -device as JSON, which -set cannot address; a port advertising more than its device is clamped to the device's link)"),
            new XElement(Qemu + "commandline", args.Select(a => new XElement(Qemu + "arg", new XAttribute("value", a)))),
        ];
    }

    private static List<string> QemuCommandlineArgs(VmBlueprint vm)
    {
        var args = new List<string>();
        if (vm.PortLink is { } link)
        {
            args.AddRange(["-global", $"pcie-root-port.{PortLinkProperties.Speed}={PortLinkProperties.SpeedText(link.Speed)}"]);
            args.AddRange(["-global", $"pcie-root-port.{PortLinkProperties.Width}={PortLinkProperties.WidthText(link.Width)}"]);
        }
        if (vm.LookingGlass is { Kvmfr: true } lg)
        {
            args.AddRange(["-object", $"memory-backend-file,id=looking-glass,mem-path={lg.Path},size={I(lg.SizeMiB)}M,share=on"]);
            args.AddRange(["-device", $"ivshmem-plain,id=shmem0,memdev=looking-glass,bus=pcie.0,addr={new GuestAddress(vm.LookingGlassSlot, 0)}"]);
        }
        return args;
    }


    internal static string QemuSize(long bytes) => QemuPlanOptions.Size(bytes);

    /// <summary>A comment with a space either side, as the ones libvirt and virt-manager write.</summary>
    private static XComment C(string text) => ElementText.Comment($" {text} ");

    private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);
}
