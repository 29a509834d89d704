using VfioKit.Fixing;
using VfioKit.Formats;

namespace VfioKit.Rules;

/// <summary>VK112: x-vga=on although the firmware is UEFI, which never uses the legacy VGA ranges.</summary>
public sealed class Vk112XVgaWithUefi : IRule
{
    public static RuleDescriptor Rule { get; } = new(
        RuleIds.XVgaWithUefi, Severity.Info,
        "x-vga=on with UEFI (OVMF) firmware",
        "x-vga serves a legacy BIOS's VGA option ROM; OVMF uses the GPU's GOP driver",
        ConfigFormats.Qemu | ConfigFormats.Proxmox, Repairs: [typeof(RemoveXVga)]);
    // libvirt's XML has no x-vga (only <qemu:override>): no libvirt form.

    public RuleDescriptor Descriptor => Rule;

    public IReadOnlyList<RuleExample> Examples { get; } = [
        new(ConfigFormat.Proxmox,
            Bad: ExampleProxmoxVm.Gpu(("hostpci0", "0000:0b:00,pcie=1,x-vga=1")),
            Good: ExampleProxmoxVm.Gpu()),
        new(ConfigFormat.Qemu,
            Bad: ExampleScript.Gpu(vfio: ",x-vga=on", more: ["-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd"]),
            Good: ExampleScript.Gpu(more: ["-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd"])),
    ];

    public IEnumerable<Finding> Check(LintContext c)
    {
        if (!c.Tuning.Uefi) yield break;
        foreach (var d in c.Topology.Configured.Where(d => d.Passthrough is { XVga: true }))
            yield return c.Report(Rule, $"{d.Name} has x-vga=on but the firmware is OVMF (UEFI): x-vga is not needed", d, new RemoveXVga(d));
    }
}
