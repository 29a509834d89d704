using VfioKit.Pci;

namespace VfioKit.Vm;

/// <summary>
/// The host function a vfio-pci device passes through, as written: `host=0000:0b:00.0`, `host=$NVIDIA.0`
/// (a shell variable kept symbolic) or `sysfsdev=/sys/bus/pci/devices/0000:0b:00.0`.
/// </summary>
/// <param name="Text">The value as written.</param>
/// <param name="Address">The address when it is literal (host=, or the last path part of sysfsdev=); null when symbolic.</param>
/// <param name="IsSysfsPath">True for sysfsdev=.</param>
public sealed record HostSource(string Text, PciAddress? Address, bool IsSysfsPath)
{
    public bool IsSymbolic => Address is null;

    public static HostSource FromHost(string text) =>
        new(text, PciAddress.TryParse(text, out var a) ? a : null, false);

    public static HostSource FromSysfs(string path)
    {
        var last = path.TrimEnd('/');
        last = last[(last.LastIndexOf('/') + 1)..];
        return new(path, PciAddress.TryParse(last, out var a) ? a : null, true);
    }

    public override string ToString() => Text;
}
