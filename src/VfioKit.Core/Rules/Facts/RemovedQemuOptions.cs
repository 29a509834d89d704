namespace VfioKit.Rules;

/// <summary>A QEMU option that a QEMU release removed: QEMU from <see cref="Version"/> on refuses to start with it.</summary>
/// <param name="Option">The option's name without the dash ("soundhw").</param>
/// <param name="ValuePrefix">Only values starting with this are removed ("host:" for -usbdevice), or null for every use.</param>
/// <param name="Version">The first QEMU release without it.</param>
/// <param name="Instead">What to write instead.</param>
public sealed record RemovedQemuOption(string Option, string? ValuePrefix, string Version, string Instead);

/// <summary>One use of a removed option in a configuration.</summary>
public sealed record RemovedOptionUse(RemovedQemuOption Removed, string Written, int Line);

/// <summary>
/// Options QEMU removed, with the release (QEMU's docs/about/removed-features.rst; -usbdevice host: by commit
/// 99761176ee, "usb: Remove legacy -usbdevice options (host, serial, disk and net)", QEMU 2.12). Each one was
/// checked against QEMU 7.2, which refuses it ("invalid option", or for -usbdevice host:
/// "usbdevice parameters are not supported anymore").
/// </summary>
public static class RemovedQemuOptions
{
    public static IReadOnlyList<RemovedQemuOption> All { get; } =
    [
        new("usbdevice", "host:", "2.12", "-device usb-host,vendorid=0x....,productid=0x...."),
        new("tdf", null, "2.12", "nothing (the KVM PIT's default)"),
        new("no-kvm-pit", null, "2.12", "nothing"),
        new("no-kvm-irqchip", null, "3.0", "-machine kernel_irqchip=off"),
        new("no-kvm-pit-reinjection", null, "3.0", "-global kvm-pit.lost_tick_policy=discard"),
        new("nodefconfig", null, "3.1", "-no-user-config"),
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
    public static RemovedQemuOption? Find(string name, string? value) =>
        All.FirstOrDefault(r => r.Option == name && (r.ValuePrefix is null || (value ?? "").StartsWith(r.ValuePrefix, StringComparison.Ordinal)));
}
