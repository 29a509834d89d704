using VfioKit.Formats.Proxmox;
using VfioKit.Pci;
using VfioKit.Vm;

namespace VfioKit.Fixing;

/// <summary>Repairs in a qemu-server config: one `key: value` line changes per repair, everything else stays.</summary>
public sealed class ProxmoxEditor(ProxmoxConfig config) : IConfigEditor
{
    public Fix? SetMachineQ35() =>
        new("set machine: q35 (Windows will re-detect its hardware)", [ProxmoxConfigEditor.Set(config, "machine", "q35")], Unsafe: true);

    public Fix? MoveBehindNewRootPort(IReadOnlyList<VmDevice> functions)
    {
        // qemu-server gives every hostpciN with pcie=1 its own root port, ich9-pcie-port-(N+1).
        if (!config.Machine.IsQ35 || HostPciOf(functions[0]) is not { } hostPci || hostPci.Pcie) return null;
        return Rewrite(hostPci, "pcie", "1", $"add pcie=1 to {hostPci.Line.Key}: behind root port {hostPci.RootPortId}");
    }

    public Fix? UseNewestQ35()
    {
        if (!config.Machine.IsQ35) return null;
        // Dropping the version pin changes the machine Windows sees, as VK101's fix does.
        return new Fix("set machine: q35 (newest; its root ports advertise 16GT/s x32)",
            [ProxmoxConfigEditor.Set(config, "machine", "q35")], Unsafe: true);
    }

    public Fix? RemoveXVga(VmDevice device) =>
        HostPciOf(device) is { } h ? Rewrite(h, "x-vga", null, $"remove x-vga from {h.Line.Key}") : null;

    public Fix? AddHyperV(IReadOnlyList<string> missing)
    {
        var current = ProxmoxOsType.WindowsVersion(config.Value("ostype"));
        if (current >= 7) return null;
        return Fix.Of("set ostype: win10 (qemu-server then adds the Hyper-V enlightenments)", ProxmoxConfigEditor.Set(config, "ostype", "win10"));
    }

    public Fix? UseHostCpu()
    {
        var cpu = config.Entry("cpu");
        var rest = (cpu?.Value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(p => p.Contains('=') && !p.StartsWith("cputype=", StringComparison.Ordinal));
        return Fix.Of("set cpu: host", ProxmoxConfigEditor.Set(config, "cpu", string.Join(',', new[] { "host" }.Concat(rest))));
    }

    public Fix? AddCpuFeature(string feature)
    {
        var cpu = config.Entry("cpu");
        var parts = (cpu?.Value ?? "host").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var i = parts.FindIndex(p => p.StartsWith("flags=", StringComparison.Ordinal));
        if (i >= 0) parts[i] = parts[i] + ";+" + feature;
        else parts.Add("flags=+" + feature);
        return Fix.Of($"add +{feature} to cpu flags", ProxmoxConfigEditor.Set(config, "cpu", string.Join(',', parts)));
    }

    public Fix? SetSharedMemorySize(SharedMemory memory, long bytes)
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
