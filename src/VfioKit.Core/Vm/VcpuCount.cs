using VfioKit.Diagnostics;

namespace VfioKit.Vm;

/// <summary>
/// A configuration's vCPU count, bounded where each format reads it: rules, the report and the readers keep
/// per-vCPU facts (pinning, SMT pairs), so a count no QEMU starts with is refused, not allocated or looped over.
/// </summary>
public static class VcpuCount
{
    /// <summary>The most vCPUs a QEMU x86 machine accepts (pc-q35 from QEMU 9.0).</summary>
    public const int Max = 4096;

    /// <summary><paramref name="count"/> as an int; above <see cref="Max"/> an input error at <paramref name="line"/>
    /// naming <paramref name="what"/> (the element, option or key it came from).</summary>
    public static int Checked(long count, string origin, int? line, int? column, string what) =>
        count <= Max ? (int)count
            : throw new InputException(origin, line, column, $"{what} {count} is more vCPUs than QEMU starts a guest with (at most {Max})");
}
