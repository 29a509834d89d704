using VfioKit.Vm;

namespace VfioKit.Behaviour.Qemu;

/// <summary>A QEMU option that a QEMU release removed: QEMU from <see cref="Version"/> on refuses to start with it.</summary>
/// <param name="Option">The option's name without the dash ("soundhw").</param>
/// <param name="ValuePrefix">Only values starting with this are removed ("host:" for -usbdevice), or null for every use.</param>
/// <param name="Version">The first QEMU release without it.</param>
/// <param name="Instead">What to write instead.</param>
public sealed record RemovedQemuOption(string Option, string? ValuePrefix, string Version, string Instead);

/// <summary>
/// Options QEMU removed, with the release (QEMU's docs/about/removed-features.rst; -usbdevice host: by commit
/// 99761176ee, "usb: Remove legacy -usbdevice options (host, serial, disk and net)", QEMU 2.12). Each one was
/// checked against QEMU 7.2, which refuses it ("invalid option", or for -usbdevice host:
/// "usbdevice parameters are not supported anymore").
/// </summary>
public static class QemuRemovedOptions
{
    public static IReadOnlyList<RemovedQemuOption> All { get; } =
    [
        new("usbdevice", "host:", "2.12", "-device usb-host,vendorid=0x....,productid=0x...."),
        new("tdf", null, "2.12", "nothing (the KVM PIT's default)"),
        new("no-kvm-pit", null, "2.12", "nothing"),
        new("no-kvm-irqchip", null, "3.0", "-machine kernel_irqchip=off"),
        new("no-kvm-pit-reinjection", null, "3.0", "-global kvm-pit.lost_tick_policy=discard"),
        new("nodefconfig", null, "3.1", "-no-user-config"),
        // -balloon none turned off a balloon no QEMU adds by default: the advice is to drop it, not to add one.
        new("balloon", "none", "3.1", "nothing: drop the option (QEMU adds no balloon device unless asked)"),
        new("balloon", null, "3.1", "-device virtio-balloon"),
        new("localtime", null, "3.1", "-rtc base=localtime"),
        new("no-kvm", null, "5.2", "-machine accel=tcg"),
        new("realtime", null, "6.0", "-overcommit mem-lock=on|off"),
        new("show-cursor", null, "6.0", "-display ...,show-cursor=on"),
        new("tb-size", null, "6.0", "-accel tcg,tb-size=N"),
        new("no-quit", null, "7.0", "-display ...,window-close=off"),
        new("soundhw", null, "7.1", "-device intel-hda -device hda-duplex (or -audio driver=...,model=...)"),
        new("sdl", null, "7.1", "-display sdl"),
        new("enable-fips", null, "7.1", "a QEMU built with gnutls or libgcrypt"),
        new("watchdog", null, "7.2", "-device i6300esb (or another watchdog device)"),
    ];

    /// <summary>The removed option a use of <paramref name="name"/> with <paramref name="value"/> is, or null.</summary>
    public static RemovedQemuOption? Find(string name, string? value)
    {
        // Every option of a script is looked up (75,000 in a 4 MiB one): by name first, then in All's order.
        if (!ByName.TryGetValue(name, out var uses)) return null;
        foreach (var r in uses)
            if (r.ValuePrefix is null || (value ?? "").StartsWith(r.ValuePrefix, StringComparison.Ordinal)) return r;
        return null;
    }

    private static readonly Dictionary<string, RemovedQemuOption[]> ByName =
        All.GroupBy(r => r.Option, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    /// <summary>A use of <paramref name="name"/> as the topology records it (guest-view's error for a QEMU that refuses it).</summary>
    public static RemovedOption? Of(string name, string? value, SourceLocation where) =>
        Find(name, value) is { } r ? new RemovedOption("-" + r.Option, MachineVersion.Parse(r.Version), r.Instead, where) : null;

    /// <summary>The PCI sound card a -soundhw / -audio model name creates (hw/audio: intel-hda with its codec, AC97, ES1370);
    /// null for ISA cards and the PC speaker, which are not PCI.</summary>
    public static string? SoundCard(string model) => model switch
    {
        "hda" => "intel-hda",
        "ac97" => "AC97",
        "es1370" => "ES1370",
        "virtio" => "virtio-sound-pci",
        _ => null,
    };

    /// <summary>The -audio model= name of a card <see cref="SoundCard"/> returns.</summary>
    public static string SoundModel(string card) => card switch
    {
        "intel-hda" => "hda",
        "AC97" => "ac97",
        "ES1370" => "es1370",
        "virtio-sound-pci" => "virtio",
        _ => throw new ArgumentOutOfRangeException(nameof(card), card, "not a -audio model"),
    };
}
