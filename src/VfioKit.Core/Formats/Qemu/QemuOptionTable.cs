namespace VfioKit.Formats.Qemu;

/// <summary>
/// Which QEMU options take no argument (qemu-options.hx: the ones declared without an argument).
/// Every other option takes exactly one.
/// </summary>
internal static class QemuOptionTable
{
    private static readonly HashSet<string> Flags =
    [
        "nodefaults", "nographic", "no-reboot", "no-shutdown", "S", "s", "enable-kvm", "no-user-config",
        "daemonize", "snapshot", "no-hpet", "no-acpi", "full-screen", "usb", "version", "h", "help",
        "no-fd-bootchk", "win2k-hack", "only-migratable", "preconfig", "semihosting", "no-quit",
        "alt-grab", "ctrl-grab", "rtc-td-hack", "no-kvm-pit-reinjection", "enable-fips", "singlestep",
        "one-insn-per-tb", "no-frame", "curses", "portrait", "xen-attach", "xen-domid-restrict",
        "mem-prealloc", "localtime", "no-kvm", "enable-sync-profile", "sdl", "old-param", "no-kvm-irqchip",
        "nouserconfig",
        // Removed from QEMU but still met in old scripts (VK213 names them): they took no argument either.
        "nodefconfig", "tdf", "no-kvm-pit", "show-cursor",
    ];

    /// <summary>"-device" / "--device" -> "device"; null when the text is not an option.</summary>
    public static string? Name(string arg)
    {
        if (arg.Length < 2 || arg[0] != '-') return null;
        var name = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : arg[1..];
        return name.Length == 0 || char.IsDigit(name[0]) ? null : name;
    }

    /// <summary>Whether <see cref="Name"/> would give a name, without cutting it out.</summary>
    public static bool IsOption(string arg)
    {
        if (arg.Length < 2 || arg[0] != '-') return false;
        var at = arg[1] == '-' ? 2 : 1;
        return at < arg.Length && !char.IsDigit(arg[at]);
    }

    public static bool IsFlag(string name) => Flags.Contains(name);
}
