namespace VfioKit.Behaviour.Qemu;

/// <summary>
/// The short device names QEMU accepts for x86 in -device (qdev-monitor.c qdev_alias_table: the virtio
/// aliases are QEMU_ARCH_VIRTIO_PCI, which includes i386/x86_64, and map to the -pci devices), so a
/// `-device virtio-net` is read as the virtio-net-pci it creates, and is placed like one.
/// </summary>
public static class QdevAliases
{
    private static readonly Dictionary<string, string> TypeNames = new(StringComparer.Ordinal)
    {
        ["virtio-9p"] = "virtio-9p-pci",
        ["virtio-balloon"] = "virtio-balloon-pci",
        ["virtio-blk"] = "virtio-blk-pci",
        ["virtio-gpu"] = "virtio-gpu-pci",
        ["virtio-gpu-gl"] = "virtio-gpu-gl-pci",
        ["virtio-input-host"] = "virtio-input-host-pci",
        ["virtio-iommu"] = "virtio-iommu-pci",
        ["virtio-keyboard"] = "virtio-keyboard-pci",
        ["virtio-mouse"] = "virtio-mouse-pci",
        ["virtio-net"] = "virtio-net-pci",
        ["virtio-rng"] = "virtio-rng-pci",
        ["virtio-scsi"] = "virtio-scsi-pci",
        ["virtio-serial"] = "virtio-serial-pci",
        ["virtio-sound"] = "virtio-sound-pci",
        ["virtio-tablet"] = "virtio-tablet-pci",
        ["e1000-82540em"] = "e1000",
        ["ahci"] = "ich9-ahci",
        ["lsi"] = "lsi53c895a",
        // The old -soundhw names.
        ["ac97"] = "AC97",
        ["es1370"] = "ES1370",
    };

    /// <summary>The type QEMU creates for a -device driver name (the name itself when it is no alias).</summary>
    public static string TypeName(string driver) => TypeNames.GetValueOrDefault(driver, driver);
}
