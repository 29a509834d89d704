using VfioKit.Probe;

namespace VfioKit.Verify.Agent;

/// <summary>
/// What the guest agent runs in a Linux guest: <c>/bin/sh -c SCRIPT</c> with one fixed script (nothing in it comes
/// from input) that prints every PCI function's sysfs files verify needs (vendor, device, class, the link
/// attributes, the config space as root reads it through od, and the function's place in /sys/devices, which
/// gives the port above it), with the probe guest's report (<see cref="PciReportScript"/>). No pciutils needed:
/// only a POSIX shell and od, which every Linux guest with an agent has (coreutils or busybox).
/// <see cref="SysfsReport"/> reads the output with the same sysfs reader and decoder as <c>vfiokit host</c>.
/// </summary>
public static class LinuxSysfsCollector
{
    /// <summary>The attribute carrying the function's directory under /sys/devices (pwd -P of its bus link).</summary>
    public const string PathAttribute = "sysfs-path";

    public static string Script { get; } = "PATH=/usr/sbin:/usr/bin:/sbin:/bin\n"
        + PciReportScript.Text((PathAttribute, "$(cd -P \"$d\" && pwd)"));

    /// <summary>The program and arguments for guest-exec (an argument array: the script is one argument, never parsed by another shell).</summary>
    public static (string Path, IReadOnlyList<string> Arguments) Command { get; } = ("/bin/sh", ["-c", Script]);
}
