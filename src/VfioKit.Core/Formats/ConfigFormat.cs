namespace VfioKit.Formats;

/// <summary>The kinds of VM configuration vfiokit reads.</summary>
public enum ConfigFormat
{
    /// <summary>A libvirt domain (virsh dumpxml).</summary>
    Libvirt,
    /// <summary>A QEMU command line: an argv file or a launch shell script.</summary>
    Qemu,
    /// <summary>A Proxmox VE qemu-server VM config (/etc/pve/qemu-server/VMID.conf).</summary>
    Proxmox,
}

/// <summary>A set of <see cref="ConfigFormat"/>s a rule applies to.</summary>
[Flags]
public enum ConfigFormats
{
    None = 0,
    Libvirt = 1,
    Qemu = 2,
    Proxmox = 4,
    All = Libvirt | Qemu | Proxmox,
}

public static class ConfigFormatNames
{
    public static string Name(this ConfigFormat format) => format switch
    {
        ConfigFormat.Libvirt => "libvirt",
        ConfigFormat.Qemu => "qemu",
        _ => "proxmox",
    };

    public static bool Includes(this ConfigFormats set, ConfigFormat format) => format switch
    {
        ConfigFormat.Libvirt => (set & ConfigFormats.Libvirt) != 0,
        ConfigFormat.Qemu => (set & ConfigFormats.Qemu) != 0,
        _ => (set & ConfigFormats.Proxmox) != 0,
    };

    /// <summary>Every format, without Enum.GetValues (AOT-safe and in a fixed order).</summary>
    public static IReadOnlyList<ConfigFormat> All { get; } = [ConfigFormat.Libvirt, ConfigFormat.Qemu, ConfigFormat.Proxmox];
}
