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

    /// <summary>Sound cards from -audio model= / -soundhw ("intel-hda", "AC97"), in order: QEMU creates them
    /// after the default VGA and NICs and before any -device (vl.c, audio_init_audiodevs/soundhw_init),
    /// at the first free slots of the root bus; -nodefaults does not remove them.</summary>
    public ValueList<string> SoundCards { get; init; } = ValueList<string>.Empty;

    public static DefaultDevices Qemu { get; } = new();
    public static DefaultDevices None { get; } = new(NoDefaults: true);
}
