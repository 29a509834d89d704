namespace VfioKit.Host;

/// <summary>
/// The names of the facts a host source may not give (host --json `absent`). One place for them: the sources,
/// the readiness checklist and the docs (docs/json/host.md) use these.
/// </summary>
public static class HostFactName
{
    /// <summary>A function's config space: PCIe device/port type, FLR, header type, subsystem ids, revision, config bytes.</summary>
    public const string ConfigSpace = "configSpace";
    public const string ResetMethods = "resetMethods";
    public const string BootVga = "bootVga";
    public const string LocalCpus = "localCpus";
    /// <summary>Whether a function has an I/O port BAR (sysfs resource).</summary>
    public const string IoBars = "ioBars";
    public const string KernelCommandLine = "kernelCommandLine";
    public const string KernelModules = "kernelModules";
    /// <summary>isolcpus=, nohz_full= and sysfs cpu/isolated.</summary>
    public const string IsolatedCpus = "isolatedCpus";
    public const string CpuModelName = "cpuModelName";
    /// <summary>Hybrid performance/efficiency core types.</summary>
    public const string CoreTypes = "coreTypes";
    /// <summary>MemAvailable of /proc/meminfo.</summary>
    public const string MemoryAvailable = "memoryAvailable";
    /// <summary>Reserved and surplus huge pages of each pool.</summary>
    public const string HugepageReservations = "hugepageReservations";
}
