namespace VfioKit.Formats.Proxmox;

/// <summary>What qemu-server derives from a VM's ostype.</summary>
public static class ProxmoxOsType
{
    /// <summary>qemu-server's windows_version: the Windows generation of an ostype, 0 for other systems.</summary>
    public static int WindowsVersion(string? ostype) => ostype switch
    {
        "wxp" or "w2k" or "w2k3" => 5,
        "w2k8" or "wvista" => 6,
        "win7" => 7,
        "win8" => 8,
        "win10" => 10,
        "win11" => 11,
        _ => 0,
    };
}
