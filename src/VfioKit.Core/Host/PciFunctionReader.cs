using VfioKit.Pci;
using VfioKit.Files;

namespace VfioKit.Host;

/// <summary>Reads one function's directory under /sys/bus/pci/devices; odd or missing files become nulls and notes.</summary>
internal static class PciFunctionReader
{
    public const string DevicesDirectory = "sys/bus/pci/devices";

    /// <summary>4096 bytes: root gets the extended config space; others get 64 bytes whatever they ask for.</summary>
    private const int ConfigMax = 4096;

    public static PciFunction Read(SysfsRoot root, PciAddress address, ICollection<string> notes)
    {
        var dir = $"{DevicesDirectory}/{address}";
        string? Text(string name) => root.ReadTextOrNull($"{dir}/{name}");
        int? Hex(string name, bool noteMissing)
        {
            var text = Text(name);
            var value = SysfsNumber.Hex(text);
            if (value is null && (text is not null || noteMissing))
                notes.Add(text is null ? $"{address}: {name} unreadable" : $"{address}: {name} has odd content '{Clip(text)}'");
            return value;
        }

        var vendor = Hex("vendor", true);
        var device = Hex("device", true);
        var classCode = Hex("class", true) is { } code and <= 0xffffff ? PciClass.FromCode(code) : (PciClass?)null;
        var numaText = Text("numa_node");
        var numa = SysfsNumber.Int(numaText);
        if (numaText is not null && numa is null) notes.Add($"{address}: numa_node has odd content '{Clip(numaText)}'");

        var groupText = root.ReadLinkNameOrNull($"{dir}/iommu_group");
        var group = SysfsNumber.Int(groupText);
        if (groupText is not null && group is null) notes.Add($"{address}: iommu_group link names '{Clip(groupText)}'");

        var config = root.TryReadRanges($"{dir}/config", ConfigMax, ConfigSpaceWalk.Walk, out var bytes) ? bytes : null;
        if (config is null) notes.Add($"{address}: config unreadable");
        ConfigSpace.TryParse(config, out var decoded);
        if (config is not null && decoded is null) notes.Add($"{address}: config has {config.Length} bytes, too few to decode");

        var resetText = Text("reset_method");
        // Subsystem ids and revision are in the header every reader gets (64 bytes), so the config space answers
        // them without three more files; vendor, device and class come from sysfs, the kernel's view after quirks.
        var header = decoded is not null && !decoded.IsAbsent;
        return new PciFunction
        {
            Address = address,
            VendorId = vendor,
            DeviceId = device,
            SubsystemVendorId = header ? decoded!.SubsystemVendorId : Hex("subsystem_vendor", false),
            SubsystemDeviceId = header ? decoded!.SubsystemId : Hex("subsystem_device", false),
            Class = classCode,
            Revision = header ? decoded!.Revision : Hex("revision", false),
            Driver = root.ReadLinkNameOrNull($"{dir}/driver"),
            IommuGroup = group,
            NumaNode = numa is >= 0 ? numa : null,
            LocalCpuList = Text("local_cpulist"),
            // Only VGA-class devices have boot_vga.
            BootVga = classCode is null || classCode.Value.IsDisplay ? SysfsNumber.Flag(Text("boot_vga")) : null,
            ResetMethods = resetText?.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            FellOffBus = decoded is { IsAbsent: true } && vendor is not null and not 0xffff,
            ConfigBytes = config?.Length ?? 0,
            IsBridgeHeader = decoded?.IsBridge,
            HasIoBar = Text("resource") is { } resource ? PciResources.HasIoBar(resource) : null,
            Parents = root.TryReadLink(dir, out var devicePath) ? CardSwitch.ParentsFromDevicePath(devicePath, address) : [],
            Pcie = PcieFactsReader.FromConfig(decoded) ?? (SawWholeCapabilityList(decoded)
                ? null // the capability list was read and has no PCI Express capability: not PCIe, no link files
                : PcieFactsReader.FromSysfs(Text("max_link_speed"), Text("max_link_width"), Text("current_link_speed"), Text("current_link_width"))),
        };
    }

    private static bool SawWholeCapabilityList(ConfigSpace? config) =>
        config is not null && (config.Length >= 256 || !config.HasCapabilityList);

    private static string Clip(string text) => text.Length > 40 ? text[..40] + "..." : text;
}
