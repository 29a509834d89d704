using VfioKit.Fixing;
using VfioKit.Formats;
using VfioKit.Pci;
using VfioKit.Vm;

namespace VfioKit.Rules;

/// <summary>VK108: the port above a passed-through GPU advertises a slower or narrower link than the host's.</summary>
public sealed class Vk108PortLinkBelowHost : IRule
{
    /// <summary>The link assumed for a GPU when the host is not known: what current GPUs train at most (16GT/s x16).</summary>
    public static readonly PciLink AssumedGpuLink = new(LinkSpeed.Gen4, 16);

    public static RuleDescriptor Rule { get; } = new(
        RuleIds.PortLinkBelowHost, Severity.Warning,
        "the port above a GPU advertises less than the host link",
        "the guest driver sees the port's link as the GPU's: a 2.5GT/s x1 port makes it a Gen1 x1 GPU",
        ConfigFormats.All, Repairs: [typeof(AdvertiseLink)]);

    public RuleDescriptor Descriptor => Rule;

    public IReadOnlyList<RuleExample> Examples { get; } = [
        new(ConfigFormat.Qemu,
            Bad: """
            qemu-system-x86_64 -M q35 \
              -device ioh3420,id=root_port1,chassis=1,slot=1,bus=pcie.0 \
              -device vfio-pci,host=0000:0b:00.0,bus=root_port1,addr=0x0
            """,
            Good: """
            qemu-system-x86_64 -M q35 \
              -device pcie-root-port,id=root_port1,chassis=1,slot=1,bus=pcie.0 \
              -device vfio-pci,host=0000:0b:00.0,bus=root_port1,addr=0x0
            """),
        new(ConfigFormat.Proxmox,
            Bad: """
            bios: ovmf
            cpu: host
            hostpci0: 0000:0b:00,pcie=1
            machine: pc-q35-3.1
            """,
            Good: """
            bios: ovmf
            cpu: host
            hostpci0: 0000:0b:00,pcie=1
            machine: pc-q35-8.1
            """),
        new(ConfigFormat.Libvirt,
            Bad: ExampleDomain.Q35($"""
                {ExampleDomain.PcieRoot}
                {ExampleDomain.RootPort(1, model: "ioh3420")}
                {ExampleDomain.Hostdev("0b:00.0", at: "01:00.0")}
                """),
            Good: ExampleDomain.Q35($"""
                {ExampleDomain.PcieRoot}
                {ExampleDomain.RootPort(1, model: "pcie-root-port")}
                {ExampleDomain.Hostdev("0b:00.0", at: "01:00.0")}
                """)),
    ];

    public IEnumerable<Finding> Check(LintContext c)
    {
        foreach (var g in c.View.Devices)
        {
            var d = g.Device;
            if (d.IsImplicit || !d.IsPassthrough || g.PortLink is not { } portLink) continue;
            // One link per slot: judged once, by the slot's function 0. A host function other than 0 (a GPU's
            // HDMI audio or USB controller) rides on its card's link, judged at function 0, even when placed in a
            // slot of its own; passed without its function 0 (a NIC's second port) its port is the card's link.
            if ((d.Placement?.Address.Function ?? 0) != 0) continue;
            if (d.HostSlot() is { Function: not 0 } slot && c.Topology.Configured.Any(o => o.HostSlot() is { Function: 0 } s && s.Device == slot.Device)) continue;
            var host = d.HostAddress is { } a ? c.Host?.Function(a) : null;
            // A host function on bus 00 is part of the chipset (USB, SATA, HD audio, an iGPU): integrated in the root
            // complex, it has no link of its own to compare, and no GPU link is worth assuming for it.
            if (host is null && d.HostAddress is { Bus: 0 }) continue;
            var wanted = host is { MaxLinkSpeed.IsKnown: true, MaxLinkWidth: > 0 } ? new PciLink(host.MaxLinkSpeed, host.MaxLinkWidth) : AssumedGpuLink;
            if (portLink.Speed >= wanted.Speed && portLink.Width >= wanted.Width) continue;
            var port = c.Topology.PortAbove(d);
            var fix = port is null ? null : new AdvertiseLink(port, host is { MaxLinkSpeed.IsKnown: true } ? new PciLink(host.MaxLinkSpeed, host.MaxLinkWidth) : null);
            var why = port?.Controller == ControllerModel.Ioh3420 ? " (ioh3420 is always 2.5GT/s x1)"
                : c.View.MachineVersion < new MachineVersion(4, 0) ? $" (machine type {c.View.MachineVersion} defaults to 2.5GT/s x1)" : "";
            var what = host is null ? "" : host.IsDisplay ? "GPU " : "device ";
            yield return c.Report(Rule,
                $"{what}{d.Name} ({d.Passthrough!.Host}): port {port?.Name ?? "above it"} advertises {portLink}{why}, less than the {(host is null ? "link assumed for a GPU" : "host link")} {wanted}",
                d, fix);
        }
    }
}
