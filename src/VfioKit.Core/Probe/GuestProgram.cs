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

    /// <summary>/init: mounts the kernel's file systems, prints the report (<see cref="PciReportScript"/>), powers off.</summary>
    public static string InitScript { get; } = """
        #!/bin/sh
        # vfiokit probe guest: report every PCI function, then power off.
        PATH=/bin
        mount -t proc proc /proc
        mount -t sysfs sysfs /sys
        mount -t devtmpfs dev /dev

        """.Replace("\r\n", "\n") + PciReportScript.Text() + "poweroff -f\n";

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
