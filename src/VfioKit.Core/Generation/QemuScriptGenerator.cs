using System.Globalization;
using System.Text;
using VfioKit.Formats.Qemu;
using VfioKit.Planning;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Generation;

/// <summary>Renders a <see cref="VmBlueprint"/> as a bash launch script: every value quoted (nothing in a name or path can
/// expand), a QMP socket, thread names for `vfiokit pin`, `--dry-run` to print the command instead of running it.</summary>
public static class QemuScriptGenerator
{
    public static string Write(VmBlueprint vm)
    {
        var sb = new StringBuilder();
        void L(string s) => sb.Append(s).Append('\n');
        var vmDir = $"/var/lib/vfiokit/{vm.SafeName}";
        var qmp = $"/run/vfiokit/{vm.SafeName}.qmp";

        L("#!/usr/bin/env bash");
        L($"# {ShellText.Comment(vm.Name)}: GPU passthrough VM written by `vfiokit new`; `vfiokit lint` checks it.");
        L("# Run as root (vfio devices, hugepages, locked memory). --dry-run prints the QEMU command, one word a line.");
        L("# After start: vfiokit pin --qmp " + qmp + " pins the vCPU threads as planned below.");
        foreach (var note in vm.Notes) L("# note: " + ShellText.Comment(note));
        L("set -euo pipefail");
        L("");
        L("dry_run=0");
        L("while [ \"$#\" -gt 0 ]; do");
        L("  case \"$1\" in");
        L("    --dry-run) dry_run=1 ;;");
        L("    -h | --help) printf 'usage: %s [--dry-run]\\n' \"$0\"; exit 0 ;;");
        L("    *) printf 'unknown option: %s\\n' \"$1\" >&2; exit 2 ;;");
        L("  esac");
        L("  shift");
        L("done");
        L("");
        L("launch=(exec)");
        L("if [ \"$dry_run\" = 1 ]; then");
        L("  launch=(printf '%s\\n')");
        L("else");
        L($"  mkdir -p {ShellText.Quote(vmDir)} /run/vfiokit");
        if (vm.Firmware is { } fw)
        {
            L("  # this VM's own copy of the UEFI variable store (boot entries, Secure Boot keys)");
            L($"  [ -e {ShellText.Quote(vmDir + "/OVMF_VARS.fd")} ] || cp -- {ShellText.Quote(fw.VarsTemplate)} {ShellText.Quote(vmDir + "/OVMF_VARS.fd")}");
        }
        if (vm.Disk is { CreateBytes: { } size } disk)
            L($"  [ -e {ShellText.Quote(disk.Path)} ] || qemu-img create -f qcow2 {ShellText.Quote(disk.Path)} {QemuPlanOptions.Size(size)}");
        L("fi");
        L("");
        L("# Why the less obvious options are there:");
        L($"#  -machine {vm.Machine.Type}: q35 >= 4.0, whose pcie-root-port can advertise a real link (older ones: 2.5GT/s x1)");
        if (vm.PortLink is { } link)
            L($"#  pcie-root-port x-speed/x-width: the host GPU's link ({link}), so the guest driver trains and sizes for it");
        L("#  one root port per host device, GPU functions at their host function numbers, multifunction=on at function 0");
        if (vm.Cells.Count > 1) L("#  pxb-pcie per host NUMA node with numa_node=: each GPU is local to the guest node mirroring its host node");
        L("#  memory-backend host-nodes=,policy=bind,prealloc=on: guest memory on the GPU's node, allocated before the guest runs");
        L("#  -overcommit mem-lock=on: passthrough pins all guest memory for DMA; locking it up front avoids faults later");
        if (vm.Windows) L("#  hv-*: Hyper-V enlightenments (paravirtual timers, APIC, spinlocks) for Windows; -rtc base=localtime: Windows keeps local time");
        if (vm.Amd) L("#  topoext: AMD guests see SMT siblings and the L3 layout only with it");
        if (vm.LookingGlass is { } lgc) L($"#  ivshmem-plain {lgc.SizeMiB} MiB: Looking Glass at {lgc.Resolution} (frame x 2 + 10 MiB, next power of two)");
        L("#  -name ...,debug-threads=on: named vCPU threads (\"CPU n/KVM\") so `vfiokit pin` can find them");
        L("#  -nodefaults -vga none: no emulated display or NIC the GPU passthrough does not want");

        var args = Arguments(vm);
        if (args.Any(a => a.Contains('$') || a.Contains('`')))
        {
            L("# A '$' or '`' below is part of a name or path, quoted so that it never expands:");
            L("# shellcheck disable=SC2016");
        }
        sb.Append("\"${launch[@]}\" qemu-system-x86_64");
        for (var i = 0; i < args.Count; i++)
        {
            sb.Append(" \\\n  ").Append(ShellText.Quote(args[i]));
            if (args[i].StartsWith('-') && i + 1 < args.Count && !args[i + 1].StartsWith('-') && !IsFlag(args[i]))
                sb.Append(' ').Append(ShellText.Quote(args[++i]));
        }
        sb.Append('\n');
        return sb.ToString();
    }

    private static bool IsFlag(string option) => option is "-nodefaults" or "-no-user-config" or "-enable-kvm";

    /// <summary>The QEMU arguments (unquoted, for an argument array).</summary>
    public static IReadOnlyList<string> Arguments(VmBlueprint vm)
    {
        var args = new List<string>
        {
            "-name", $"guest={ShellText.QemuValue(vm.Name)},debug-threads=on",
            "-no-user-config",
        };
        var topology = QemuCommandLine.ToArgv(vm.Topology).ToList();
        // -machine and -nodefaults first, as the topology writer emits them; devices after everything else.
        var firstDevice = topology.IndexOf("-device");
        args.AddRange(firstDevice < 0 ? topology : topology.Take(firstDevice));
        args.AddRange(["-accel", "kvm", "-vga", "none", "-display", "none"]);
        var cpu = "host,migratable=off" + (vm.Amd ? ",topoext=on" : "") + (vm.Windows ? "," + string.Join(",", HyperVEnlightenments.Written.Select(HyperVEnlightenments.QemuFlag)) : "")
            + (vm.Request.HideKvm ? ",kvm=off,hv-vendor-id=0123456789ab" : "");
        args.AddRange(["-cpu", cpu]);
        var g = vm.GuestTopology;
        args.AddRange(["-smp", $"{I(vm.Vcpus)},sockets={I(g.Sockets)},dies={I(g.Dies)},cores={I(g.Cores)},threads={I(g.Threads)}"]);
        args.AddRange(["-m", QemuPlanOptions.Size(vm.MemoryBytes), "-overcommit", "mem-lock=on"]);
        foreach (var cell in vm.Cells)
        {
            var size = QemuPlanOptions.Size(cell.MemoryBytes);
            var id = "mem" + I(cell.GuestNode);
            var node = I(cell.Plan.Memory.Nodes[0]);
            args.AddRange(["-object", cell.Plan.Memory.PageSizeKiB > 0
                ? $"memory-backend-memfd,id={id},size={size},hugetlb=on,hugetlbsize={QemuPlanOptions.Size(cell.Plan.Memory.PageSizeKiB * 1024)},share=on,prealloc=on,host-nodes={node},policy=bind"
                : $"memory-backend-ram,id={id},size={size},prealloc=on,host-nodes={node},policy=bind"]);
            args.AddRange(["-numa", $"node,nodeid={I(cell.GuestNode)},cpus={cell.GuestCpus},memdev={id}"]);
        }
        args.AddRange(["-object", "iothread,id=iothread1"]);
        if (vm.Firmware is { } fw)
        {
            args.AddRange(["-drive", $"if=pflash,format=raw,unit=0,readonly=on,file={ShellText.QemuValue(fw.Code)}"]);
            args.AddRange(["-drive", $"if=pflash,format=raw,unit=1,file=/var/lib/vfiokit/{vm.SafeName}/OVMF_VARS.fd"]);
        }
        if (vm.Windows) args.AddRange(["-rtc", "base=localtime,driftfix=slew", "-global", "kvm-pit.lost_tick_policy=delay"]);
        args.AddRange(["-qmp", $"unix:/run/vfiokit/{vm.SafeName}.qmp,server=on,wait=off"]);
        if (vm.Disk is { } disk)
            args.AddRange(["-drive", $"if=none,id=drive-virtio-disk0,format={disk.Format},cache=none,aio=native,discard=unmap,file={ShellText.QemuValue(disk.Path)}"]);
        args.AddRange(["-netdev", "user,id=hostnet0"]);
        if (vm.LookingGlass is { } lg)
            args.AddRange(["-object", $"memory-backend-file,id=looking-glass,mem-path={lg.Path},size={I(lg.SizeMiB)}M,share=on"]);
        if (firstDevice >= 0) args.AddRange(topology.Skip(firstDevice));
        return args;
    }

    private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);
}
