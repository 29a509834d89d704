using VfioKit.Files;
namespace VfioKit.Host;

/// <summary>Reads the kernel command line, /proc/meminfo and the module list (procfs, plus /sys/module for built-ins).</summary>
internal static class ProcReader
{
    public static KernelCommandLine? CommandLine(SysfsRoot root, ICollection<string> notes)
    {
        if (root.TryReadText("proc/cmdline", out var text)) return new KernelCommandLine(text);
        notes.Add("proc/cmdline unreadable: the IOMMU options on the kernel command line are unknown");
        return null;
    }

    public static MemInfo Memory(SysfsRoot root, ICollection<string> notes)
    {
        if (root.TryReadText("proc/meminfo", out var text)) return MemInfo.Parse(text);
        notes.Add("proc/meminfo unreadable");
        return MemInfo.Unknown;
    }

    public static KernelModules Modules(SysfsRoot root, ICollection<string> notes)
    {
        var readable = root.TryReadText("proc/modules", out var text);
        var loaded = readable ? KernelModules.ParseProcModules(text) : new HashSet<string>();
        // Built-in modules have no line in /proc/modules (and a kernel without module support has no file at all),
        // but those with parameters or sysfs attributes appear as /sys/module/NAME.
        var builtIn = new HashSet<string>(StringComparer.Ordinal);
        var sysModule = root.ListOrEmpty("sys/module");
        foreach (var name in KernelModules.Watched)
            if (!loaded.Contains(name) && sysModule.Contains(name)) builtIn.Add(name);
        if (!readable && sysModule.Count == 0) notes.Add("proc/modules and sys/module unreadable: loaded modules unknown");
        return new KernelModules(loaded, builtIn, readable);
    }
}
