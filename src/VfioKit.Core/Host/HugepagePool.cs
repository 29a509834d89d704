namespace VfioKit.Host;

/// <summary>One huge page size's pool (/sys/kernel/mm/hugepages/hugepages-SIZEkB): reserved, free, in use by mappings.</summary>
public sealed record HugepagePool(long SizeKb, long? Total, long? Free, long? Reserved, long? Surplus)
{
    /// <summary>"2M", "1G".</summary>
    public string SizeName => SizeKb switch
    {
        >= 1048576 when SizeKb % 1048576 == 0 => $"{SizeKb / 1048576}G",
        >= 1024 when SizeKb % 1024 == 0 => $"{SizeKb / 1024}M",
        _ => $"{SizeKb}K",
    };

    /// <summary>The size from a directory name "hugepages-1048576kB"; null when it is not one.</summary>
    public static long? ParseSizeKb(string directoryName)
    {
        const string prefix = "hugepages-";
        if (!directoryName.StartsWith(prefix, StringComparison.Ordinal) || !directoryName.EndsWith("kB", StringComparison.Ordinal)) return null;
        return SysfsNumber.Long(directoryName[prefix.Length..^2]) is > 0 and var v ? v : null;
    }
}
