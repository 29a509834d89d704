namespace VfioKit.Probe;

/// <summary>
/// What runs inside a probe guest: an /init for busybox's shell that prints every PCI function the
/// guest kernel enumerated (address, ids, class, the sysfs link attributes and the whole config space
/// as root reads it, up to 4096 bytes) between two markers, then powers the machine off.
/// The text protocol is read back by <see cref="GuestReport"/>.
/// </summary>
public static class GuestProgram
{
    /// <summary>Bumped when the printed protocol changes; the report checks it.</summary>
    public const int ProtocolVersion = 1;

    public const string BeginMarker = "@vfiokit-begin";
    public const string EndMarker = "@vfiokit-end";

    /// <summary>The sysfs attributes printed for each function, when the kernel has them.</summary>
    public static IReadOnlyList<string> Attributes { get; } =
        ["current_link_speed", "current_link_width", "max_link_speed", "max_link_width", "numa_node"];

    /// <summary>The applets the script calls; each becomes a symlink to busybox.</summary>
    private static readonly string[] Applets = ["sh", "mount", "od", "poweroff"];

    // Shell builtins (read, echo, [) where possible: every fork+exec costs milliseconds under TCG.
    // od without -v folds runs of identical lines into "*", so a mostly empty 4 KiB config space
    // crosses the emulated serial line in a few lines; the final offset line gives its length.
    public static string InitScript { get; } = $$"""
        #!/bin/sh
        # vfiokit probe guest: report every PCI function, then power off.
        PATH=/bin
        mount -t proc proc /proc
        mount -t sysfs sysfs /sys
        mount -t devtmpfs dev /dev
        read release < /proc/sys/kernel/osrelease
        echo "{{BeginMarker}} {{ProtocolVersion}} $release"
        for d in /sys/bus/pci/devices/*; do
          [ -e "$d/config" ] || continue
          read vendor < "$d/vendor"; read device < "$d/device"; read class < "$d/class"
          echo "@dev ${d##*/} $vendor $device $class"
          for a in {{string.Join(' ', Attributes)}}; do
            [ -r "$d/$a" ] && read value < "$d/$a" 2>/dev/null && echo "@attr $a $value"
          done
          echo "@config"
          od -Ax -tx1 "$d/config"
        done
        echo "{{EndMarker}}"
        poweroff -f
        """.Replace("\r\n", "\n") + "\n";

    /// <summary>The initramfs: busybox (which must be statically linked), its applet links, /init.</summary>
    public static Initramfs Build(ReadOnlyMemory<byte> busybox)
    {
        var archive = Initramfs.Empty
            .WithDirectory("proc")
            .WithDirectory("sys")
            .WithDirectory("dev")
            .WithFile("bin/busybox", busybox, 0x1ed);
        foreach (var applet in Applets)
            archive = archive.WithSymlink("bin/" + applet, "busybox");
        return archive.WithFile("init", InitScript, 0x1ed);
    }
}
