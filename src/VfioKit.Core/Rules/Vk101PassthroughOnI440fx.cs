using VfioKit.Fixing;
using VfioKit.Formats;
using VfioKit.Vm;

namespace VfioKit.Rules;

/// <summary>VK101: a host device passed through on i440fx, which has no PCI Express for the guest.</summary>
public sealed class Vk101PassthroughOnI440fx : IRule
{
    public static RuleDescriptor Rule { get; } = new(
        RuleIds.PassthroughOnI440fx, Severity.Error,
        "passthrough on an i440fx (pc) machine: no PCIe for the guest",
        "i440fx has one conventional PCI bus: no root port, no link, no extended config space for the device",
        ConfigFormats.All, Repairs: [typeof(UseQ35Machine)]);

    public RuleDescriptor Descriptor => Rule;

    public IReadOnlyList<RuleExample> Examples { get; } = [
        new(ConfigFormat.Proxmox,
            Bad: ExampleProxmoxVm.Gpu(("hostpci0", "0000:0b:00"), ("machine", null)),
            Good: ExampleProxmoxVm.Gpu()),
        new(ConfigFormat.Qemu,
            Bad: """
            qemu-system-x86_64 -machine pc -cpu host -m 8G \
              -device vfio-pci,host=0000:0b:00.0
            """,
            Good: ExampleScript.Gpu()),
        new(ConfigFormat.Libvirt,
            Bad: ExampleDomain.Q35($"""
                <controller type='pci' index='0' model='pci-root'/>
                {ExampleDomain.Hostdev("0b:00.0", at: "00:05.0")}
                """).Replace("machine='q35'", "machine='pc-i440fx-7.2'", StringComparison.Ordinal),
            Good: ExampleDomain.Gpu),
    ];

    public IEnumerable<Finding> Check(LintContext c)
    {
        if (c.Topology.Machine.Family != MachineFamily.I440fx) yield break;
        // Legacy IGD assignment (an Intel iGPU, always host 00:02.0) works only on i440fx: there, i440fx is right.
        var igd = c.Topology.Configured.FirstOrDefault(d => d.IsPassthrough && IsIntelIgd(c, d));
        // A mediated device (sysfsdev=.../UUID: GVT-g, vGPU) is emulated by the host driver on any bus: not judged here.
        var first = c.Topology.Configured.FirstOrDefault(d => d.IsPassthrough && !IsIntelIgd(c, d) && !IsMediated(d));
        if (first is null) yield break;
        if (igd is not null)
        {
            yield return c.Report(Rule,
                $"{first.Name} ({first.Passthrough!.Host}) is passed through on machine '{c.Topology.Machine.Type}' (i440fx), which the Intel iGPU {igd.Passthrough!.Host} needs for legacy IGD assignment: keep i440fx, or move the iGPU to UPT mode before switching to q35",
                first, severity: Severity.Info);
            yield break;
        }
        // A host function the host shows is not a display (an NVMe, a NIC) works on i440fx without PCIe extended
        // config space: q35 is still the better machine, but not an error.
        var notDisplay = first.HostAddress is { } a && c.Host?.Function(a) is { IsDisplay: false };
        yield return c.Report(Rule,
            $"{first.Name} ({first.Passthrough!.Host}) is passed through on machine '{c.Topology.Machine.Type}' (i440fx): use q35",
            first, new UseQ35Machine(), severity: notDisplay ? Severity.Warning : null);
    }

    /// <summary>sysfsdev= naming a mediated device: its last path part is the mdev's UUID, not a PCI address.</summary>
    private static bool IsMediated(VfioKit.Vm.VmDevice d) =>
        d.Passthrough?.Host is { IsSysfsPath: true, Address: null } h && Guid.TryParse(h.Text.TrimEnd('/')[(h.Text.TrimEnd('/').LastIndexOf('/') + 1)..], out _);

    /// <summary>Host 0000:00:02.0, where Intel puts its integrated GPU (vendor 8086 and a display class when the host is known).</summary>
    private static bool IsIntelIgd(LintContext c, VfioKit.Vm.VmDevice d) =>
        d.HostAddress is { Domain: 0, Bus: 0, Device: 2, Function: 0 } a
        && (c.Host?.Function(a) is not { } f || (f.Vendor == 0x8086 && f.IsDisplay));
}
