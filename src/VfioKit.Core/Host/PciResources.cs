using System.Globalization;

namespace VfioKit.Host;

/// <summary>A function's sysfs `resource` file: one "start end flags" line (hex) per resource, the BARs first.</summary>
public static class PciResources
{
    /// <summary>IORESOURCE_IO in the flags column (include/linux/ioport.h).</summary>
    private const long IoResource = 0x100;

    /// <summary>Whether one of the six BARs is an I/O port BAR.</summary>
    public static bool HasIoBar(string resource) =>
        resource.Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(6).Any(line =>
        {
            var parts = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts.Length == 3 && long.TryParse(parts[2].Replace("0x", ""), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var flags)
                && (flags & IoResource) != 0;
        });
}
