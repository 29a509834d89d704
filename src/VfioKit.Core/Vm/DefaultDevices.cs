namespace VfioKit.Vm;

/// <summary>
/// Which of the machine's default devices are switched off: -nodefaults (all), -vga MODEL|none,
/// -nic none / any -net/-nic/-netdev (the default NIC). libvirt always passes -nodefaults.
/// </summary>
/// <param name="Vga">The -vga value as written ("std", "virtio", "none"), or null when not given.</param>
public sealed record DefaultDevices(bool NoDefaults = false, string? Vga = null, bool NoDefaultNic = false)
{
    public static DefaultDevices Qemu { get; } = new();
    public static DefaultDevices None { get; } = new(NoDefaults: true);
}
