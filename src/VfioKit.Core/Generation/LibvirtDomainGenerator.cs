using System.Globalization;
using System.Security;
using System.Text;
using VfioKit.Formats.Libvirt;
using VfioKit.Planning;
using VfioKit.Vm;

namespace VfioKit.Generation;

/// <summary>Renders a <see cref="VmBlueprint"/> as a libvirt domain (9.0 schema; passes virt-xml-validate).</summary>
public static class LibvirtDomainGenerator
{
    public static string Write(VmBlueprint vm)
    {
        VmNames.CheckLibvirt(vm.Name);
        var sb = new StringBuilder();
        void L(string s) => sb.Append(s).Append('\n');
        var first = vm.Cells[0].Plan;

        L($"<!-- {Esc(vm.Name)}: GPU passthrough VM written by `vfiokit new`; `vfiokit lint` checks it. Define it with: virsh define FILE -->");
        foreach (var note in vm.Notes) L($"<!-- note: {Esc(note)} -->");
        L("<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>");
        L($"  <name>{Esc(vm.Name)}</name>");
        L($"  <memory unit='KiB'>{I(vm.MemoryBytes / 1024)}</memory>");
        L($"  <currentMemory unit='KiB'>{I(vm.MemoryBytes / 1024)}</currentMemory>");
        if (vm.PageSizeKiB > 0)
        {
            L("  <!-- hugepages: fewer TLB misses; locked: memory pinned for DMA up front instead of page by page -->");
            L($"  <memoryBacking>\n    <hugepages>\n      <page size='{I(vm.PageSizeKiB)}' unit='KiB'/>\n    </hugepages>\n    <locked/>\n  </memoryBacking>");
        }
        else L("  <!-- locked: memory pinned for DMA up front instead of page by page -->\n  <memoryBacking>\n    <locked/>\n  </memoryBacking>");
        L($"  <vcpu placement='static'>{I(vm.Vcpus)}</vcpu>");
        L("  <iothreads>1</iothreads>");
        L("  <!-- vCPUs pinned per the planner: guest SMT pairs on one host core's siblings, GPU-local node; emulator and I/O thread on the kept core -->");
        L("  <cputune>");
        foreach (var cell in vm.Cells)
            foreach (var pin in cell.Plan.Vcpus)
                L($"    <vcpupin vcpu='{I(cell.FirstVcpu + pin.Vcpu)}' cpuset='{I(pin.HostCpu)}'/>");
        var emulator = string.Join(",", vm.Cells.Select(c => c.Plan.EmulatorCpus.ToString()));
        L($"    <emulatorpin cpuset='{emulator}'/>");
        L($"    <iothreadpin iothread='1' cpuset='{first.IoThreadCpus}'/>");
        L("  </cputune>");
        L("  <!-- guest memory bound (strict) to the host node(s) of the vCPUs and GPU -->");
        L("  <numatune>");
        L($"    <memory mode='strict' nodeset='{string.Join(",", vm.Cells.Select(c => I(c.Plan.Memory.Nodes[0])))}'/>");
        foreach (var cell in vm.Cells)
            L($"    <memnode cellid='{I(cell.GuestNode)}' mode='strict' nodeset='{I(cell.Plan.Memory.Nodes[0])}'/>");
        L("  </numatune>");

        L("  <os>");
        L($"    <type arch='x86_64' machine='{Esc(vm.Machine.Type)}'>hvm</type>");
        if (vm.Firmware is { } fw)
        {
            L($"    <loader readonly='yes' type='pflash'>{Esc(fw.Code)}</loader>");
            L($"    <!-- this VM's own copy of the UEFI variable store, made from the template on first start -->");
            L($"    <nvram template='{Esc(fw.VarsTemplate)}'>/var/lib/libvirt/qemu/nvram/{vm.SafeName}_VARS.fd</nvram>");
        }
        L("    <boot dev='hd'/>");
        L("  </os>");

        L("  <features>");
        L("    <acpi/>");
        L("    <apic/>");
        if (vm.Windows)
        {
            L("    <!-- Hyper-V enlightenments: Windows uses paravirtual timers, APIC and spinlocks instead of slow emulated paths -->");
            L("    <hyperv mode='custom'>");
            foreach (var h in HyperV.Libvirt)
                L(h == "spinlocks" ? "      <spinlocks state='on' retries='8191'/>" : $"      <{h} state='on'/>");
            if (vm.Request.HideKvm) L("      <vendor_id state='on' value='0123456789ab'/>");
            L("    </hyperv>");
        }
        if (vm.Request.HideKvm) L("    <!-- KVM hidden: only for NVIDIA drivers older than R465 (error 43) -->\n    <kvm>\n      <hidden state='on'/>\n    </kvm>");
        if (vm.Nvidia) L("    <!-- in-kernel IOAPIC: NVIDIA drivers misbehave with the split irqchip -->\n    <ioapic driver='kvm'/>");
        L("    <vmport state='off'/>");
        L("  </features>");

        var g = vm.GuestTopology;
        L("  <!-- host-passthrough: the guest gets every host CPU feature; topology mirrors the pinned cores and L3 domains -->");
        L("  <cpu mode='host-passthrough' check='none' migratable='off'>");
        L($"    <topology sockets='{I(g.Sockets)}' dies='{I(g.Dies)}' cores='{I(g.Cores)}' threads='{I(g.Threads)}'/>");
        L("    <cache mode='passthrough'/>");
        if (vm.Amd) L("    <!-- AMD guests see SMT siblings and the L3 layout only with topoext -->\n    <feature policy='require' name='topoext'/>");
        L("    <numa>");
        foreach (var cell in vm.Cells)
            L($"      <cell id='{I(cell.GuestNode)}' cpus='{cell.GuestCpus}' memory='{I(cell.MemoryBytes / 1024)}' unit='KiB'/>");
        L("    </numa>");
        L("  </cpu>");

        L(vm.Windows ? "  <!-- Windows keeps the RTC in local time -->\n  <clock offset='localtime'>" : "  <clock offset='utc'>");
        L("    <timer name='rtc' tickpolicy='catchup'/>");
        L("    <timer name='pit' tickpolicy='delay'/>");
        L("    <timer name='hpet' present='no'/>");
        if (vm.Windows) L("    <timer name='hypervclock' present='yes'/>");
        L("  </clock>");
        L("  <on_poweroff>destroy</on_poweroff>");
        L("  <on_reboot>restart</on_reboot>");
        L("  <on_crash>destroy</on_crash>");

        L("  <devices>");
        L("    <controller type='pci' index='0' model='pcie-root'/>");
        L("    <!-- one pcie-root-port per host device: the guest sees a PCIe Endpoint with a link, not an integrated device on pcie.0 -->");
        L("    <!-- every function of a GPU behind one port, function numbers as on the host, multifunction on function 0 -->");
        if (vm.Cells.Count > 1) L("    <!-- one pcie-expander-bus per host NUMA node of the GPUs, on the guest node mirroring it: the guest driver sees each GPU's locality -->");
        sb.Append(LibvirtWriter.Devices(vm.Topology, "    "));
        var indexes = LibvirtWriter.ControllerIndexes(vm.Topology);
        if (vm.Disk is { } disk)
        {
            L(disk.CreateBytes is { } size ? $"    <!-- create the image first: qemu-img create -f qcow2 {Esc(disk.Path)} {QemuSize(size)} -->" : "");
            L($"    <disk type='{(disk.IsBlockDevice ? "block" : "file")}' device='disk'>");
            L($"      <driver name='qemu' type='{disk.Format}' cache='none' io='native' discard='unmap' iothread='1'/>");
            L($"      <source {(disk.IsBlockDevice ? "dev" : "file")}='{Esc(disk.Path)}'/>");
            L("      <target dev='vda' bus='virtio'/>");
            L($"      {Address(indexes[disk.PortId], 0)}");
            L("    </disk>");
        }
        L("    <interface type='network'>");
        L("      <source network='default'/>");
        L("      <model type='virtio'/>");
        L($"      {Address(indexes[vm.NicPortId], 0)}");
        L("    </interface>");
        if (vm.LookingGlass is { Kvmfr: false } lg)
        {
            L($"    <!-- Looking Glass: {lg.Resolution} needs {I(lg.SizeMiB)} MiB (frame x 2 + 10 MiB, next power of two); libvirt backs it by /dev/shm/looking-glass -->");
            L("    <shmem name='looking-glass'>");
            L("      <model type='ivshmem-plain'/>");
            L($"      <size unit='M'>{I(lg.SizeMiB)}</size>");
            L($"      <address type='pci' domain='0x0000' bus='0x00' slot='{LibvirtNumber.Hex(vm.LookingGlassSlot, 2)}' function='0x0'/>");
            L("    </shmem>");
        }
        L("    <!-- no balloon: memory pinned for passthrough cannot be reclaimed -->");
        L("    <memballoon model='none'/>");
        L("  </devices>");

        var args = QemuCommandlineArgs(vm);
        if (args.Count > 0)
        {
            L("  <!-- libvirt has no attribute for a root port's link: -global sets x-speed/x-width of every pcie-root-port to the host GPU's LnkCap");
            L("       (libvirt 9 passes -device as JSON, which -set cannot address; a port advertising more than its device is clamped to the device's link) -->");
            L("  <qemu:commandline>");
            foreach (var a in args) L($"    <qemu:arg value='{Esc(a)}'/>");
            L("  </qemu:commandline>");
        }
        L("</domain>");
        return string.Join("\n", sb.ToString().Split('\n').Where(l => l.Length > 0)) + "\n";
    }

    private static List<string> QemuCommandlineArgs(VmBlueprint vm)
    {
        var args = new List<string>();
        if (vm.PortLink is { } link)
        {
            args.AddRange(["-global", $"pcie-root-port.x-speed={SpeedText(link.Speed)}"]);
            args.AddRange(["-global", $"pcie-root-port.x-width={I(link.Width)}"]);
        }
        if (vm.LookingGlass is { Kvmfr: true } lg)
        {
            args.AddRange(["-object", $"memory-backend-file,id=looking-glass,mem-path={lg.Path},size={I(lg.SizeMiB)}M,share=on"]);
            args.AddRange(["-device", $"ivshmem-plain,id=shmem0,memdev=looking-glass,bus=pcie.0,addr={new GuestAddress(vm.LookingGlassSlot, 0)}"]);
        }
        return args;
    }

    internal static string SpeedText(Pci.LinkSpeed s) => s.Encoding switch { 1 => "2_5", 2 => "5", 3 => "8", 4 => "16", 5 => "32", _ => "64" };

    internal static string QemuSize(long bytes) => QemuPlanOptions.Size(bytes);

    private static string Address(int bus, int slot) =>
        $"<address type='pci' domain='0x0000' bus='{LibvirtNumber.Hex(bus, 2)}' slot='{LibvirtNumber.Hex(slot, 2)}' function='0x0'/>";

    private static string Esc(string s) => (SecurityElement.Escape(s) ?? "").Replace("--", "&#45;&#45;", StringComparison.Ordinal);

    private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);
}
