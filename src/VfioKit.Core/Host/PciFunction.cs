using VfioKit.Pci;

namespace VfioKit.Host;

/// <summary>
/// One PCI function of the host as sysfs shows it. Every fact is nullable: null means the file was missing
/// or unreadable (the model's notes say which), never a guess.
/// </summary>
public sealed record PciFunction
{
    public required PciAddress Address { get; init; }
    public int? VendorId { get; init; }
    public int? DeviceId { get; init; }
    public int? SubsystemVendorId { get; init; }
    public int? SubsystemDeviceId { get; init; }
    /// <summary>The class code: base class, subclass, programming interface (0x030000 = VGA).</summary>
    public PciClass? Class { get; init; }
    public int? Revision { get; init; }
    /// <summary>The bound driver's name ("vfio-pci", "amdgpu", ...), null when none is bound.</summary>
    public string? Driver { get; init; }
    public int? IommuGroup { get; init; }
    /// <summary>The NUMA node the device is attached to; null when the kernel does not know (-1).</summary>
    public int? NumaNode { get; init; }
    /// <summary>The CPUs local to the device, as sysfs lists them ("0-7,16-23").</summary>
    public string? LocalCpuList { get; init; }
    /// <summary>Whether the firmware used this device as the boot display (boot_vga; only VGA devices have it).</summary>
    public bool? BootVga { get; init; }
    /// <summary>The reset methods the kernel will use, in order ("flr", "bus", "pm", "device_specific", ...);
    /// null when the kernel does not say (no reset_method attribute before Linux 5.15).</summary>
    public IReadOnlyList<string>? ResetMethods { get; init; }

    /// <summary>The config space reads all 0xff while sysfs still names the device: it fell off the bus (what a
    /// failed reset leaves), and nothing can use it until the slot is removed and rescanned or the host reboots.</summary>
    public bool FellOffBus { get; init; }
    /// <summary>How many bytes of config space were readable: 64 as non-root, 256 or 4096 as root.</summary>
    public int ConfigBytes { get; init; }
    /// <summary>Header type 1 (bridge) per config space; null when unknown.</summary>
    public bool? IsBridgeHeader { get; init; }
    public PcieFacts? Pcie { get; init; }
    /// <summary>The bridges above this function, nearest first, from its path under /sys/devices; empty when unknown.</summary>
    public IReadOnlyList<PciAddress> Parents { get; init; } = [];
    /// <summary>The link of the card's slot when the function sits behind the card's own switch (AMD Vega/RDNA);
    /// null otherwise, and then the function's own link is the slot's.</summary>
    public SlotLink? SlotLink { get; init; }

    /// <summary>The link the card can train in its slot: LnkCap at the card's upstream port when the card has its own
    /// switch, else the function's own LnkCap. What the guest's port should offer and what VK108 compares with.</summary>
    public PciLink? HostLink => SlotLink is { } s ? s.Capability : Pcie?.LinkCapability;

    /// <summary>The PCI Express facts with the slot's link in place of an internal one (what `verify --host` compares
    /// the guest's port with); the function's own facts when it has no card switch above it.</summary>
    public PcieFacts? SlotPcie => SlotLink is { } s && Pcie is { } p ? p with { LinkCapability = s.Capability, LinkStatus = s.Status } : Pcie;
    /// <summary>Whether a BAR is an I/O port BAR (sysfs `resource`); null when that file is unreadable.</summary>
    public bool? HasIoBar { get; init; }
    public string? VendorName { get; init; }
    public string? DeviceName { get; init; }

    /// <summary>Base class and subclass as one 16-bit number: 0x0300 VGA, 0x0403 HD audio, 0x0c03 USB.</summary>
    public int? ClassAndSubclass => Class?.BaseAndSub;

    public bool IsDisplay => Class?.IsDisplay == true;

    /// <summary>
    /// A bridge or PCIe port: what never has to be passed to a VM along with the devices below it
    /// (host bridge 0600, PCI bridge 0604, semi-transparent bridge 0609, root/switch ports).
    /// </summary>
    public bool IsBridge =>
        ClassAndSubclass is 0x0600 or 0x0604 or 0x0609
        || IsBridgeHeader == true
        || Pcie?.Type is PcieDeviceType.RootPort or PcieDeviceType.UpstreamPort or PcieDeviceType.DownstreamPort
            or PcieDeviceType.PcieToPciBridge or PcieDeviceType.PciToPcieBridge;

    /// <summary>"vendor device" from pci.ids, or the ids when no names are known.</summary>
    public string Description =>
        DeviceName is not null ? $"{VendorName ?? Hex4(VendorId)} {DeviceName}" : $"[{Hex4(VendorId)}:{Hex4(DeviceId)}]";

    private static string Hex4(int? v) => v is { } x ? x.ToString("x4", System.Globalization.CultureInfo.InvariantCulture) : "????";
}
