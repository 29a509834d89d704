namespace VfioKit.Host.Cpu;

/// <summary>The kind of core on a hybrid part (Intel Alder Lake and later): from /sys/devices/cpu_core|cpu_atom/cpus.</summary>
public enum CoreType
{
    /// <summary>Not a hybrid part, or the kernel did not say.</summary>
    Unknown,
    /// <summary>A performance core (cpu_core).</summary>
    Performance,
    /// <summary>An efficiency core (cpu_atom).</summary>
    Efficiency,
}
