using VfioKit.Formats.Proxmox;
using VfioKit.Pci;
using VfioKit.Vm;

namespace VfioKit.Fixing;

/// <summary>
/// Repairs in a qemu-server config: one `key: value` line changes per repair, everything else stays.
/// qemu-server places devices and writes the ports itself, so what a repair can ask for is what its
/// options say: pcie=1, the machine type, the ostype.
/// </summary>
public sealed class ProxmoxRepairer(ProxmoxConfig config) : IRepairer
{
    private static readonly RepairTable<ProxmoxRepairer> Table = new RepairTable<ProxmoxRepairer>()
        .On<UseQ35Machine>((r, _) => r.SetMachineQ35())
        .On<LeaveConventionalBus>((r, i) => r.MakePcie(i.Functions))
        .On<AdvertiseLink>((r, i) => r.UseNewestQ35(i.Port))
        .On<RemoveXVga>((r, i) => r.RemoveXVga(i.Device))
        .On<AddHyperV>((r, _) => r.HyperV())
        .On<UseHostCpu>((r, _) => r.HostCpu())
        .On<AddCpuFeature>((r, i) => r.CpuFeature(i.Feature))
        .On<SetSharedMemorySize>((r, i) => r.SharedMemorySize(i.Bytes));

    /// <summary>The intents this repairer carries out.</summary>
    public static IReadOnlySet<Type> Kinds { get; } = Table.Kinds;

    public Fix? Repair(RepairIntent intent) => Table.Repair(this, intent);

    private Fix? SetMachineQ35() =>
        new("set machine: q35 (Windows will re-detect its hardware)", [ProxmoxConfigEditor.Set(config, "machine", "q35")], Unsafe: true);

    private Fix? MakePcie(IReadOnlyList<PlannedFunction> functions)
    {
        // qemu-server gives every hostpciN with pcie=1 its own root port, ich9-pcie-port-(N+1).
        if (!config.Machine.IsQ35 || HostPciOf(functions[0].Device) is not { } hostPci || hostPci.Pcie) return null;
        return Rewrite(hostPci, "pcie", "1", $"add pcie=1 to {hostPci.Line.Key}: behind root port {hostPci.RootPortId}");
    }

    private Fix? UseNewestQ35(VmDevice port)
    {
        // Only the ports qemu-server writes itself (no line of their own) follow the machine type.
        if (port.Source is not null || !config.Machine.IsQ35) return null;
        // Dropping the version pin changes the machine Windows sees, as VK101's fix does.
        return new Fix("set machine: q35 (newest; its root ports advertise 16GT/s x32)",
            [ProxmoxConfigEditor.Set(config, "machine", "q35")], Unsafe: true);
    }

    private Fix? RemoveXVga(VmDevice device) =>
        HostPciOf(device) is { } h ? Rewrite(h, "x-vga", null, $"remove x-vga from {h.Line.Key}") : null;

    private Fix? HyperV()
    {
        var current = ProxmoxOsType.WindowsVersion(config.Value("ostype"));
        if (current >= 7) return null;
        return Fix.Of("set ostype: win10 (qemu-server then adds the Hyper-V enlightenments)", ProxmoxConfigEditor.Set(config, "ostype", "win10"));
    }

    private Fix? HostCpu()
    {
        var cpu = config.Entry("cpu");
        var rest = (cpu?.Value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(p => p.Contains('=') && !p.StartsWith("cputype=", StringComparison.Ordinal));
        return Fix.Of("set cpu: host", ProxmoxConfigEditor.Set(config, "cpu", string.Join(',', new[] { "host" }.Concat(rest))));
    }

    private Fix? CpuFeature(string feature)
    {
        var cpu = config.Entry("cpu");
        var parts = (cpu?.Value ?? "host").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var i = parts.FindIndex(p => p.StartsWith("flags=", StringComparison.Ordinal));
        if (i >= 0) parts[i] = parts[i] + ";+" + feature;
        else parts.Add("flags=+" + feature);
        return Fix.Of($"add +{feature} to cpu flags", ProxmoxConfigEditor.Set(config, "cpu", string.Join(',', parts)));
    }

    private Fix? SharedMemorySize(long bytes)
    {
        if (config.Entry("ivshmem") is not { } line) return null;
        var value = ProxmoxConfigEditor.WithOption(line.Value ?? "", "size", (bytes / (1024 * 1024)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Fix.Of("set the ivshmem size", ProxmoxConfigEditor.Replace(line, "ivshmem", value));
    }

    private HostPci? HostPciOf(VmDevice device) =>
        config.HostPcis.FirstOrDefault(h => h.Line.Number == device.Source?.Line);

    private static Fix Rewrite(HostPci hostPci, string option, string? value, string title)
    {
        var line = hostPci.Line;
        return Fix.Of(title, ProxmoxConfigEditor.Replace(line, line.Key!, ProxmoxConfigEditor.WithOption(line.Value ?? "", option, value)));
    }
}
