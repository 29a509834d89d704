using VfioKit.Formats;
using VfioKit.Pci;
using VfioKit.Vm;

namespace VfioKit.Rules;

/// <summary>VK212: a romfile (a GPU vBIOS) on a function that is not the display: the GPU's HDMI audio or USB controller.</summary>
public sealed class Vk212RomFileFunction : IRule
{
    public static RuleDescriptor Rule { get; } = new(
        RuleIds.RomFileOnNonDisplayFunction, Severity.Warning,
        "romfile on a function that is not the GPU's display function",
        "the vBIOS is offered as the audio or USB function's option ROM, and the GPU itself boots without the ROM it was meant to get",
        ConfigFormats.All);

    public RuleDescriptor Descriptor => Rule;

    public IReadOnlyList<RuleExample> Examples { get; } = [
        new(ConfigFormat.Qemu,
            Bad: """
            qemu-system-x86_64 -machine q35 -cpu host -m 8G \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 \
              -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0.0,multifunction=on \
              -device vfio-pci,host=0000:0b:00.1,bus=rp1,addr=0x0.1,romfile=/var/lib/libvirt/vbios/gpu.rom
            """,
            Good: """
            qemu-system-x86_64 -machine q35 -cpu host -m 8G \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 \
              -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0.0,multifunction=on,romfile=/var/lib/libvirt/vbios/gpu.rom \
              -device vfio-pci,host=0000:0b:00.1,bus=rp1,addr=0x0.1
            """),
        new(ConfigFormat.Libvirt, Bad: Domain(romOnAudio: true), Good: Domain(romOnAudio: false)),
        new(ConfigFormat.Proxmox,
            Bad: ExampleProxmoxVm.Gpu(("hostpci0", "0000:0b:00.0,pcie=1"), ("hostpci1", "0000:0b:00.1,pcie=1,romfile=gpu.rom"), ("hugepages", null)),
            Good: ExampleProxmoxVm.Gpu(("hostpci0", "0000:0b:00,pcie=1,romfile=gpu.rom"), ("hugepages", null))),
    ];

    private const string Rom = "<rom file='/var/lib/libvirt/vbios/gpu.rom'/>";

    private static string Domain(bool romOnAudio) => ExampleDomain.Q35($"""
        {ExampleDomain.RootPorts(1)}
        {ExampleDomain.Hostdev("0b:00.0", at: "01:00.0", address: " multifunction='on'", more: romOnAudio ? "" : Rom)}
        {ExampleDomain.Hostdev("0b:00.1", at: "01:00.1", more: romOnAudio ? Rom : "")}
        """);

    public IEnumerable<Finding> Check(LintContext c)
    {
        foreach (var d in c.Topology.Configured)
        {
            if (d.Passthrough?.RomFile is not { Length: > 0 } rom || d.HostAddress is not { } address) continue;
            var host = c.Host?.Function(address);
            // The display function named in the advice: the one the host says is a display, else function 0 of the
            // same host slot when this VM passes it; otherwise none is named (an iGPU's audio sits in another slot).
            var display = c.Topology.Configured.Select(o => o.HostAddress).OfType<PciAddress>().Where(a => host is not null
                ? c.Host!.Function(a)?.IsDisplay == true
                : a.Slot == address.Slot && a.Function == 0).Cast<PciAddress?>().FirstOrDefault();
            // The display function has another ROM of its own: this second one is deliberate (an EFI GOP driver ROM,
            // which OVMF runs from any function, as legacy-IGD setups put on the iGPU's audio), not a misplaced vBIOS.
            // The same file on both is the vBIOS copied onto a function that has no use for it: still reported.
            if (c.Topology.Configured.Any(o => !ReferenceEquals(o, d) && o.Passthrough?.RomFile is { Length: > 0 } other && other != rom && o.HostAddress is { } oa
                    && (host is not null ? c.Host!.Function(oa)?.IsDisplay == true : oa.Function == 0)))
                continue;
            string what;
            if (host is not null)
            {
                if (host.IsDisplay) continue;
                what = host.IsAudio ? "an audio function" : host.ClassCode >> 8 == 0x0c03 ? "a USB controller" : host.ClassCode >> 8 == 0x0c80 ? "a serial-bus (USB-C) controller" : $"a non-display function (class {host.ClassCode:x6})";
            }
            else if (address.Function == 0) continue;
            else what = display is not null ? $"function {address.Function}, not the display function 0" : $"function {address.Function} of {address.Slot}";
            yield return c.Report(Rule,
                $"{d.Name} ({d.Passthrough.Host}): romfile '{rom}' is on {what}; a GPU's vBIOS belongs on {(display is not null ? $"its display function ({display})" : "the GPU's own display function")}",
                d);
        }
    }
}
