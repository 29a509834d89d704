using System.Globalization;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Planning;

/// <summary>A memory size as people write it: "16G", "16GiB", "512M", "1048576K", or bytes; and as it is shown.</summary>
public static class MemorySize
{
    /// <summary>A size above zero (<see cref="QemuSize"/>: fractions and K/M/G/T, with or without "B" or "iB").</summary>
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = QemuSize.Parse(text) ?? 0;
        return bytes > 0;
    }

    /// <summary>"2 MiB", "1 GiB", "512 KiB": the largest exact binary unit.</summary>
    public static string FormatKiB(long kib) => kib switch
    {
        >= 1024 * 1024 when kib % (1024 * 1024) == 0 => (kib / (1024 * 1024)).ToString(CultureInfo.InvariantCulture) + " GiB",
        >= 1024 when kib % 1024 == 0 => (kib / 1024).ToString(CultureInfo.InvariantCulture) + " MiB",
        _ => kib.ToString(CultureInfo.InvariantCulture) + " KiB",
    };
}
