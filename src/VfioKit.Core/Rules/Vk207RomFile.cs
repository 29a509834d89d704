using VfioKit.Formats;

namespace VfioKit.Rules;

/// <summary>VK207: a romfile that does not exist or cannot be read (checked only on the VM host itself).</summary>
public sealed class Vk207RomFile : IRule
{
    public static RuleDescriptor Rule { get; } = new(
        RuleIds.RomFileMissing, Severity.Error,
        "romfile missing or unreadable",
        "QEMU refuses to start when the ROM file cannot be read",
        ConfigFormats.All);

    public RuleDescriptor Descriptor => Rule;

    public IReadOnlyList<RuleExample> Examples { get; } = [
        new(ConfigFormat.Proxmox,
            Bad: ExampleProxmoxVm.Gpu(("hostpci0", "0000:0b:00,pcie=1,romfile=/nonexistent/vfiokit-test.rom")),
            Good: ExampleProxmoxVm.Gpu(("hostpci0", "0000:0b:00,pcie=1,romfile=/proc/cpuinfo"))),
        new(ConfigFormat.Qemu,
            Bad: ExampleScript.Gpu(vfio: ",romfile=/nonexistent/vfiokit-test.rom"),
            Good: ExampleScript.Gpu(vfio: ",romfile=/proc/cpuinfo")),
        new(ConfigFormat.Libvirt,
            Bad: ExampleDomain.Q35($"""
                {ExampleDomain.RootPorts(1)}
                {ExampleDomain.Hostdev("0b:00.0", at: "01:00.0", more: "<rom file='/nonexistent/vfiokit-test.rom'/>")}
                """),
            Good: ExampleDomain.Q35($"""
                {ExampleDomain.RootPorts(1)}
                {ExampleDomain.Hostdev("0b:00.0", at: "01:00.0", more: "<rom file='/proc/cpuinfo'/>")}
                """)),
    ];

    public IEnumerable<Finding> Check(LintContext c)
    {
        if (c.Files is not { } files) yield break;
        foreach (var d in c.Topology.Configured)
        {
            if (d.Passthrough?.RomFile is not { } rom || rom.Contains('$')) continue;
            if (!files.IsReadable(rom))
                yield return c.Report(Rule, $"{d.Name}: romfile '{rom}' does not exist or cannot be read", d);
        }
    }
}
