using System.Globalization;
using System.Text.RegularExpressions;

namespace VfioKit.Runtime;

/// <summary>Parses the thread names QEMU sets with -name ...,debug-threads=on: "CPU 3/KVM", "CPU 0/TCG", "IO iothread1".</summary>
public static partial class ThreadName
{
    public static int? Vcpu(string comm)
    {
        var m = VcpuName().Match(comm.Trim());
        return m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>The id of an -object iothread; QEMU's own monitor thread ("IO mon_iothread") is not one of them.</summary>
    public static string? IoThread(string comm)
    {
        var t = comm.Trim();
        return t.StartsWith("IO ", StringComparison.Ordinal) && t.Length > 3 && t != "IO mon_iothread" ? t[3..] : null;
    }

    [GeneratedRegex(@"^CPU (\d+)/[A-Za-z]+$")]
    private static partial Regex VcpuName();
}
