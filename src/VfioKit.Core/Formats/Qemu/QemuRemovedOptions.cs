using VfioKit.Vm;

namespace VfioKit.Formats.Qemu;

/// <summary>
/// QEMU options that current releases refuse, with the release that removed them (docs/about/removed-features.rst).
/// Only what was checked is listed: -soundhw was removed in 7.1 (deprecated since 5.1), and QEMU 7.2 here
/// answers "-soundhw: invalid option".
/// </summary>
public static class QemuRemovedOptions
{
    public static RemovedOption? Of(string name, SourceLocation where) => name switch
    {
        "soundhw" => new RemovedOption("-soundhw", new MachineVersion(7, 1), "-audio driver=none,model=hda (or -device intel-hda -device hda-duplex)", where),
        _ => null,
    };

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
}
