using System.Globalization;
using System.Text;
using VfioKit.Diagnostics;
using VfioKit.Planning;

namespace VfioKit.Generation;

/// <summary>Renders a <see cref="VmBlueprint"/> as a Proxmox qemu-server config (/etc/pve/qemu-server/VMID.conf).
/// Leading '#' lines are the VM's description in the Proxmox UI.</summary>
public static class ProxmoxConfigGenerator
{
    public static string Write(VmBlueprint vm)
    {
        var sb = new StringBuilder();
        void L(string s) => sb.Append(s).Append('\n');
        void C(string s) => L("#" + ShellText.Comment(s));

        C($"{vm.Name}: GPU passthrough VM written by `vfiokit new`; `vfiokit lint` checks it.");
        C("hostpciN without a function passes every function as one multifunction device; pcie=1 puts it behind a root port (an Endpoint with a link).");
        C("machine q35 (>= 4.0): Proxmox's root ports then advertise 16GT/s x32, at least the host link" + (vm.PortLink is { } l ? $" ({l})" : "") + ".");
        C("affinity pins QEMU's threads to the planned host CPUs; numa0 binds guest memory to the GPU's host node.");
        if (vm.Windows) C("ostype win11 turns on Proxmox's Hyper-V enlightenments and a local-time RTC.");
        if (vm.LookingGlass is { } lgc) C($"ivshmem {lgc.SizeMiB} MiB: Looking Glass at {lgc.Resolution} (frame x 2 + 10 MiB, next power of two).");
        foreach (var note in vm.Notes) C("note: " + note);

        var pins = vm.Cells.SelectMany(c => c.Plan.Vcpus.Select(p => p.HostCpu)).Order();
        // Without hugepages nothing else locks guest memory: passthrough pins it for DMA anyway, better up front.
        if (vm.PageSizeKiB == 0) L("args: -overcommit mem-lock=on");
        L($"affinity: {Host.Cpu.CpuList.Of(pins)}");
        L("balloon: 0");
        L(vm.Firmware is not null ? "bios: ovmf" : "bios: seabios");
        var g = vm.GuestTopology;
        L($"cores: {I(vm.Vcpus / vm.Cells.Count)}");
        var cpu = "host" + (vm.Request.HideKvm ? ",hidden=1" : "") + (vm.Amd ? ",flags=+topoext" : "");
        L($"cpu: {cpu}");
        if (vm.Firmware is not null) L("efidisk0: local-lvm:1,efitype=4m,pre-enrolled-keys=0");
        for (var i = 0; i < vm.Passed.Count; i++)
        {
            var p = vm.Passed[i];
            var target = p.IsGpu && p.Functions.Count > 1 ? p.Slot.ToString() : p.Functions[0].ToString();
            L($"hostpci{I(i)}: {target},pcie=1");
        }
        if (vm.PageSizeKiB > 0) L($"hugepages: {(vm.PageSizeKiB >= 1024 * 1024 ? "1024" : "2")}");
        if (vm.LookingGlass is { } lg) L($"ivshmem: size={I(lg.SizeMiB)},name=looking-glass");
        L("machine: q35");
        L($"memory: {I(vm.MemoryBytes / (1024 * 1024))}");
        L($"name: {ProxmoxName(vm.Name)}");
        L("net0: virtio,bridge=vmbr0");
        L("numa: 1");
        foreach (var cell in vm.Cells)
            L($"numa{I(cell.GuestNode)}: cpus={cell.GuestCpus.Replace(',', ';')},hostnodes={I(cell.Plan.Memory.Nodes[0])},memory={I(cell.MemoryBytes / (1024 * 1024))},policy=bind");
        L($"ostype: {(vm.Windows ? "win11" : "l26")}");
        L($"sockets: {I(vm.Cells.Count)}");
        if (vm.Disk is { } disk)
        {
            if (disk.CreateBytes is { } size) L($"virtio0: local-lvm:{I(Math.Max(1, size >> 30))},iothread=1,discard=on");
            else if (disk.Path.Any(c => char.IsWhiteSpace(c) || c is ',' or '=' or ';' or '#'))
                throw new InputException("--disk", $"'{disk.Path}': Proxmox configs cannot hold a path with spaces, ',', '=', ';' or '#'; use --disk-size or a simpler path");
            else L($"virtio0: {disk.Path},iothread=1");
        }
        L("vga: none");
        _ = g;
        return sb.ToString();
    }

    /// <summary>Proxmox wants a DNS name: letters, digits, '-' and '.'.</summary>
    private static string ProxmoxName(string name)
    {
        var s = new string(VmNames.Safe(name).Select(c => c == '_' ? '-' : c).ToArray()).Trim('-', '.');
        return s.Length == 0 ? "vm" : s;
    }

    private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);
}
