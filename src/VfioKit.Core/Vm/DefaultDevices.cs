namespace VfioKit.Vm;

/// <summary>
/// The devices the machine adds by itself and the switches that remove them: -nodefaults (all),
/// -vga MODEL|none, and the default NIC (off with any -net/-nic/-netdev). libvirt always passes -nodefaults.
/// </summary>
/// <param name="Vga">The -vga value as written ("std", "virtio", "none"), or null when not given.</param>
/// <param name="NoDefaultNic">True when the default NIC is off (-nic none, -net none, any -netdev/-nic/-net).</param>
/// <param name="Nics">NIC models the machine creates from -nic/-net nic ("e1000e", "virtio-net-pci"), in order.</param>
public sealed record DefaultDevices(bool NoDefaults = false, string? Vga = null, bool NoDefaultNic = false)
{
    public ValueList<string> Nics { get; init; } = ValueList<string>.Empty;

    public static DefaultDevices Qemu { get; } = new();
    public static DefaultDevices None { get; } = new(NoDefaults: true);
}
