using VfioKit.Pci;
using VfioKit.Vm;

namespace VfioKit.Probe;

/// <summary>The class of the host function a vfio-pci device passes through, read from the host's sysfs under a root directory.</summary>
public static class HostClasses
{
    /// <summary>A lookup reading &lt;root&gt;/sys/bus/pci/devices/&lt;address&gt;/class; null for symbolic or absent functions.</summary>
    public static Func<VmDevice, PciClass?> FromSysfs(string root) => device =>
    {
        if (device.HostAddress is not { } address) return null;
        var path = Path.Combine(root, "sys", "bus", "pci", "devices", address.ToString(), "class");
        try { return Parse(File.ReadAllText(path)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    };

    /// <summary>sysfs' "0x030000\n".</summary>
    public static PciClass? Parse(string text) => PciClass.TryParse(text.Trim(), out var c) ? c : null;
}
