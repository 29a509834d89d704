using VfioKit.Formats.Qemu;
using VfioKit.Formats;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Rules;

/// <summary>VK213: an option a QEMU release removed; QEMU from that release on refuses to start.</summary>
public sealed class Vk213RemovedQemuOption : IRule
{
    public static RuleDescriptor Rule { get; } = new(
        RuleIds.RemovedQemuOption, Severity.Error,
        "option removed from QEMU",
        "QEMU from the release that removed it refuses to start (\"invalid option\"): the VM no longer boots after an upgrade",
        ConfigFormats.Qemu | ConfigFormats.Proxmox);

    public RuleDescriptor Descriptor => Rule;

    public IReadOnlyList<RuleExample> Examples { get; } = [
        new(ConfigFormat.Qemu,
            Bad: """
            qemu-system-x86_64 -machine q35 -cpu host -m 8G -nodefconfig -soundhw hda \
              -usb -usbdevice host:046d:c52b \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 \
              -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0
            """,
            Good: """
            qemu-system-x86_64 -machine q35 -cpu host -m 8G -no-user-config \
              -device intel-hda -device hda-duplex \
              -usb -device usb-host,vendorid=0x046d,productid=0xc52b \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 \
              -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0
            """),
        new(ConfigFormat.Proxmox,
            Bad: ExampleProxmoxVm.Gpu(("args", "-soundhw hda"), ("hugepages", null)),
            Good: ExampleProxmoxVm.Gpu(("audio0", "device=ich9-intel-hda,driver=spice"), ("hugepages", null))),
    ];

    public IEnumerable<Finding> Check(LintContext c)
    {
        foreach (var use in c.Tuning.RemovedOptions)
            yield return c.Report(Rule,
                $"{use.Written}: removed in QEMU {use.Removed.Version} (QEMU {use.Removed.Version} and later refuse to start); use {use.Removed.Instead}",
                use.Line);
    }
}
