using System.Globalization;
using VfioKit.Formats.Qemu;
using VfioKit.Pci;
using VfioKit.Vm;
using VfioKit.Edits;
using VfioKit.Fixing.Qemu;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Fixing;

/// <summary>
/// Repairs in a QEMU launch script or argv file: each repair rewrites the words it names (keeping their
/// quoting) or inserts new `-device` words in the style of the line it goes before; every other byte,
/// comments and line continuations included, stays as it was.
/// </summary>
public sealed class QemuRepairer(QemuScript script, VmTopology topology) : IRepairer
{
    private static readonly RepairTable<QemuRepairer> Table = new RepairTable<QemuRepairer>()
        .On<UseQ35Machine>((r, _) => r.SetMachineQ35())
        .On<LeaveRootBus>((r, i) => r.MoveBehindNewRootPort(i.Functions))
        .On<LeaveConventionalBus>((r, i) => r.MoveBehindNewRootPort(i.Functions))
        .On<GatherFunctions>((r, i) => r.Gather(i.Function0, i.Others))
        .On<SetMultifunction>((r, i) => r.Multifunction(i.Device, i.On))
        .On<AdvertiseLink>((r, i) => r.Advertise(i.Port, i.HostLink))
        .On<SetChassis>((r, i) => r.Chassis(i.Port, i.Chassis))
        .On<RemoveXVga>((r, i) => r.RemoveOption(i.Device, "x-vga"))
        .On<RemoveIoReserve>((r, i) => r.RemoveOption(i.Port, "io-reserve"))
        .On<AddHyperV>((r, i) => r.HyperV(i.Missing))
        .On<UseHostCpu>((r, _) => r.HostCpu())
        .On<AddCpuFeature>((r, i) => r.CpuFeature(i.Feature))
        .On<SetSharedMemorySize>((r, i) => r.SharedMemorySize(i.Memory, i.Bytes))
        .On<UseKernelIrqchip>((r, _) => r.KernelIrqchip());

    /// <summary>The intents this repairer carries out.</summary>
    public static IReadOnlySet<Type> Kinds { get; } = Table.Kinds;

    public Fix? Repair(RepairIntent intent) => Table.Repair(this, intent);

    private Fix? SetMachineQ35()
    {
        // q35's root bus is pcie.0: a device that names i440fx's pci.0 would stop QEMU ("Bus 'pci.0' not found").
        if (RootBusRenames() is not { } renames) return null;
        var machine = script.All("machine", "M").LastOrDefault();
        if (machine?.Value is { } word)
        {
            if (!word.IsEditable) return null;
            var options = QemuOptionList.Parse(word.Written);
            options = options.Head is not null ? options.WithHead("q35") : options.Set("type", "q35");
            return new Fix("machine type q35 (Windows will re-detect its hardware)", [Rewrite(word, options.ToString()), .. renames], Unsafe: true);
        }
        return InsertArgument("-machine", "q35") is { } insert ? new Fix("add -machine q35 (Windows will re-detect its hardware)", [insert, .. renames], Unsafe: true) : null;
    }

    /// <summary>bus=pci.0 -> bus=pcie.0 on every -device that names it; null when one of them cannot be edited.</summary>
    private List<TextEdit>? RootBusRenames()
    {
        var edits = new List<TextEdit>();
        foreach (var device in script.All("device"))
        {
            if (device.Value is not { } w || DeviceOptions.Parse(w.Text).Get("bus") != "pci.0") continue;
            if (!w.IsEditable) return null;
            edits.Add(Rewrite(w, DeviceOptions.Parse(w.Written).Set("bus", "pcie.0").ToString()));
        }
        return edits;
    }

    private Fix? MoveBehindNewRootPort(IReadOnlyList<PlannedFunction> functions)
    {
        if (topology.Machine.Family != MachineFamily.Q35) return null;
        var words = functions.Select(f => Find(f.Device)).ToList();
        if (words.Any(w => w?.Value is null)) return null;
        if (NewPort() is not var (id, chassis, slot)) return null;
        // Before the first of them as QEMU reads them (an array's words may stand anywhere in the text).
        var first = words.MinBy(w => Index(w!))!.Option;
        if (!first.IsEditable || InsertArgument("-device", $"pcie-root-port,id={id},chassis={chassis},slot={chassis},bus={topology.RootBusId},addr=0x{slot:x}", first.Start) is not { } port)
            return null;
        var edits = new List<TextEdit> { port };
        var multi = functions.Count > 1;
        for (var i = 0; i < functions.Count; i++)
        {
            var fn = functions[i].Function;
            var options = DeviceOptions.Parse(words[i]!.Value!.Written).Set("bus", id).Set("addr", Addr(0, fn));
            options = multi && fn == 0 ? options.Set("multifunction", "on", isBool: true) : options.Remove("multifunction");
            edits.Add(Rewrite(words[i]!.Value!, options.ToString()));
        }
        var names = string.Join(", ", functions.Select(f => f.Device.Name));
        return new Fix($"add pcie-root-port {id} and move {names} behind it", edits);
    }

    private Fix? Gather(VmDevice function0, IReadOnlyList<VmDevice> others)
    {
        if (function0.Placement is not { } p0 || Find(function0) is not { Value: { } w0 }) return null;
        var edits = new List<TextEdit>();
        var o0 = DeviceOptions.Parse(w0.Written).Set("bus", p0.Bus).Set("addr", Addr(p0.Address.Slot, 0)).Set("multifunction", "on", isBool: true);
        edits.Add(Rewrite(w0, o0.ToString()));
        foreach (var other in others)
        {
            if (Find(other) is not { Value: { } w } || other.HostAddress is not { } host) return null;
            var o = DeviceOptions.Parse(w.Written).Set("bus", p0.Bus).Set("addr", Addr(p0.Address.Slot, host.Function)).Remove("multifunction");
            edits.Add(Rewrite(w, o.ToString()));
        }
        return new Fix($"put {string.Join(", ", others.Select(o => o.Name))} in the slot of {function0.Name} as functions mirroring the host", edits);
    }

    private Fix? Multifunction(VmDevice device, bool on)
    {
        if (Find(device) is not { Value: { } w }) return null;
        var options = DeviceOptions.Parse(w.Written);
        options = on ? options.Set("multifunction", "on", isBool: true) : options.Remove("multifunction");
        return Fix.Of(on ? $"multifunction=on on {device.Name}" : $"remove multifunction=on from {device.Name}", Rewrite(w, options.ToString()));
    }

    private Fix? Advertise(VmDevice port, PciLink? hostLink)
    {
        if (port.Controller is not (ControllerModel.Ioh3420 or ControllerModel.PcieRootPort) || Find(port) is not { Value: { } w }) return null;
        var options = DeviceOptions.Parse(w.Written).WithDriver("pcie-root-port");
        // Machine types before 4.0 default pcie-root-port to 2.5GT/s x1: the full link must be written out.
        var old = topology.Machine.Version is { } v && v < new MachineVersion(4, 0);
        var link = hostLink ?? (old ? new PciLink(LinkSpeed.Gen4, 32) : (PciLink?)null);
        options = link is { } l
            ? options.Set(PortLinkProperties.Speed, PortLinkProperties.SpeedText(l.Speed), isNumber: true).Set(PortLinkProperties.Width, PortLinkProperties.WidthText(l.Width), isNumber: true)
            // An explicit x-speed/x-width below the GPU is what VK108 found: the default (16GT/s x32) replaces it.
            : options.Remove(PortLinkProperties.Speed).Remove(PortLinkProperties.Width);
        return Fix.Of($"{port.Name}: pcie-root-port" + (link is { } k ? $" advertising {k}" : " (16GT/s x32 by default)"), Rewrite(w, options.ToString()));
    }

    private Fix? Chassis(VmDevice port, int chassis) =>
        Find(port) is { Value: { } w }
            ? Fix.Of($"{port.Name}: chassis={chassis}", Rewrite(w, DeviceOptions.Parse(w.Written).Set("chassis", chassis.ToString(CultureInfo.InvariantCulture), isNumber: true).ToString()))
            : null;

    private Fix? RemoveOption(VmDevice device, string option) =>
        Find(device) is { Value: { } w } ? Fix.Of($"remove {option} from {device.Name}", Rewrite(w, DeviceOptions.Parse(w.Written).Remove(option).ToString())) : null;

    private Fix? HyperV(IReadOnlyList<string> missing)
    {
        var flags = missing.Select(m => m == "spinlocks" ? $"hv_spinlocks=0x{HyperVEnlightenments.SpinlockRetries:x}" : "hv_" + m).ToList();
        if (CpuOutOfReach) return null;
        if (LastEditable("cpu") is { } w)
        {
            var options = QemuOptionList.Parse(w.Written);
            foreach (var f in flags) options = f.Contains('=') ? options.Set(f[..f.IndexOf('=')], f[(f.IndexOf('=') + 1)..]) : options.Append(f);
            return Fix.Of("add " + string.Join(",", flags) + " to -cpu", Rewrite(w, options.ToString()));
        }
        return InsertArgument("-cpu", "host," + string.Join(',', flags)) is { } insert ? Fix.Of("add -cpu host with the Hyper-V enlightenments", insert) : null;
    }

    private Fix? HostCpu()
    {
        if (CpuOutOfReach) return null;
        if (LastEditable("cpu") is { } w)
            return Fix.Of("-cpu host", Rewrite(w, QemuOptionList.Parse(w.Written).WithHead("host").ToString()));
        return InsertArgument("-cpu", "host") is { } insert ? Fix.Of("add -cpu host", insert) : null;
    }

    private Fix? CpuFeature(string feature) =>
        LastEditable("cpu") is { } w
            ? Fix.Of($"add {feature}=on to -cpu", Rewrite(w, QemuOptionList.Parse(w.Written).Set(feature, "on").ToString()))
            : null;

    private Fix? SharedMemorySize(SharedMemory memory, long bytes)
    {
        var size = bytes % (1L << 20) == 0 ? $"{bytes >> 20}M" : bytes.ToString(CultureInfo.InvariantCulture);
        var backend = script.All("object").FirstOrDefault(a => a.Value is { } v && QemuOptionList.Parse(v.Text).Get("id") == memory.Name);
        if (backend?.Value is { IsEditable: true } w) return Fix.Of($"size={size} for {memory.Name}", Rewrite(w, QemuOptionList.Parse(w.Written).Set("size", size).ToString()));
        var device = script.All("device").FirstOrDefault(a => a.Value is { } v && DeviceOptions.Parse(v.Text).Get("id") == memory.Name);
        return device?.Value is { IsEditable: true } d ? Fix.Of($"size={bytes >> 20} for {memory.Name}", Rewrite(d, DeviceOptions.Parse(d.Written).Set("size", (bytes >> 20).ToString(CultureInfo.InvariantCulture)).ToString())) : null;
    }

    private Fix? KernelIrqchip() =>
        LastEditable("machine", "M") is { } w
            ? Fix.Of("kernel-irqchip=on", Rewrite(w, QemuOptionList.Parse(w.Written).Remove("kernel_irqchip").Set("kernel-irqchip", "on").ToString()))
            : null;

    /// <summary>The -device argument a device was read from: the one whose value word is where the device's source is;
    /// null when that word is not text an edit can replace (a piece of a variable's value), so the fix is declined.</summary>
    private QemuArgument? Find(VmDevice device) =>
        device.Source is { } source && script.All("device").FirstOrDefault(a => a.Value?.Location == source) is { Value.IsEditable: true } found ? found : null;

    /// <summary>The value of the option that takes effect (the last one); a placeholder that
    /// declines the fix when that value cannot be edited in place, so no edit lands on an earlier one QEMU ignores.</summary>
    private ShellWord? LastEditable(params string[] names) =>
        script.All(names).LastOrDefault()?.Value is { IsEditable: true } w ? w : null;

    /// <summary>The -cpu that takes effect is a piece of a variable's value: a new -cpu before it would not take effect.</summary>
    private bool CpuOutOfReach => script.All("cpu").Any() && LastEditable("cpu") is null;

    private int Index(QemuArgument argument) => script.Arguments.ToList().IndexOf(argument);

    private static TextEdit Rewrite(ShellWord word, string value) => new(word.Start, word.Length, ShellQuoting.Requote(word, value));

    /// <summary>Inserts "-option value" before the word at <paramref name="before"/> (default: after the binary,
    /// or at the start), as its own continued line when the script writes one option per line.</summary>
    /// <remarks>Null when there is no place in the file to put it (every option comes from a variable's value).</remarks>
    private TextEdit? InsertArgument(string option, string value, int? before = null)
    {
        var quoted = ShellQuoting.Quote(value);
        var text = script.Text;
        int at;
        if (before is { } b) at = b;
        // The first option written in the file (one split from a variable's value has no place of its own).
        else if (script.Arguments.FirstOrDefault(a => a.Option.IsEditable) is { } first) at = first.Option.Start;
        else if (script.Binary is { IsEditable: true } bin) return TextEdit.Insert(bin.End, $" {option} {quoted}");
        else if (script.Binary is null && script.Arguments.Count == 0) at = 0;
        else return null;
        var lineStart = text.LastIndexOf('\n', Math.Max(0, at - 1)) + 1;
        var atLineStart = text[lineStart..at].All(c => c is ' ' or '\t');
        // One argument per line, unquoted (ArgsFile): the option and its value are two lines, or the file
        // would no longer read back as an argument file.
        if (atLineStart && script.IsArgsFile)
            return TextEdit.Insert(at, $"{option}\n{text[lineStart..at]}{value}\n{text[lineStart..at]}");
        // Inside an array assignment a newline separates words like a blank: the new option gets its own line.
        if (atLineStart && script.ArrayAt(at) is not null)
            return TextEdit.Insert(at, $"{option} {quoted}\n{text[lineStart..at]}");
        if (at > 0 && lineStart > 0 && atLineStart && PreviousLineContinues(text, lineStart))
            return TextEdit.Insert(at, $"{option} {quoted} \\\n{text[lineStart..at]}");
        // An argv file (libvirt's .args, one option per line): the new option gets its own line.
        if (script.Binary is null && atLineStart)
            return TextEdit.Insert(at, $"{option} {quoted}\n{text[lineStart..at]}");
        return TextEdit.Insert(at, $"{option} {quoted} ");
    }

    private static bool PreviousLineContinues(string text, int lineStart)
    {
        var end = lineStart - 1;
        if (end > 0 && text[end - 1] == '\r') end--;
        return end > 0 && text[end - 1] == '\\';
    }

    /// <summary>A free id, a free chassis in QEMU's 8-bit range, and the lowest slot of the root bus no device
    /// uses, implicit ones included (a sound card -soundhw placed, the machine's own): a slot free in the
    /// placed topology moves no auto-placed device. Null when every chassis or slot is taken.</summary>
    private (string Id, int Chassis, int Slot)? NewPort()
    {
        var ids = topology.Devices.Select(d => d.Id).OfType<string>().ToHashSet();
        if (ChassisRange.Next(topology.Devices.Select(d => d.Port?.Chassis ?? 0)) is not { } chassis) return null;
        var used = topology.Devices.Where(d => d.Placement?.Bus == topology.RootBusId).Select(d => d.Placement!.Address.Slot).ToHashSet();
        if (Enumerable.Range(1, 31).Where(s => !used.Contains(s)).Select(s => (int?)s).FirstOrDefault() is not { } slot) return null;
        var n = 1;
        while (ids.Contains($"vfiokit-rp{n}")) n++;
        return ($"vfiokit-rp{n}", chassis, slot);
    }

    private static string Addr(int slot, int function) =>
        function == 0 ? string.Create(CultureInfo.InvariantCulture, $"0x{slot:x}.0x0") : string.Create(CultureInfo.InvariantCulture, $"0x{slot:x}.0x{function:x}");

}
