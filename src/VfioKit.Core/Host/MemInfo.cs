namespace VfioKit.Host;

/// <summary>The lines of /proc/meminfo that matter for a VM's memory (sizes in KiB; null when absent).</summary>
public sealed record MemInfo(long? MemTotalKb, long? MemAvailableKb, long? HugePagesTotal, long? HugePagesFree, long? HugepageSizeKb, long? MemFreeKb = null)
{
    public static readonly MemInfo Unknown = new(null, null, null, null, null);

    /// <summary>Parses "MemTotal:  16318412 kB" lines; odd lines are skipped.</summary>
    public static MemInfo Parse(string text)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) continue;
            var rest = line[(colon + 1)..].Trim();
            var space = rest.IndexOf(' ');
            if (SysfsNumber.Long(space < 0 ? rest : rest[..space]) is { } v) values[line[..colon].Trim()] = v;
        }
        long? Get(string k) => values.TryGetValue(k, out var v) ? v : null;
        return new MemInfo(Get("MemTotal"), Get("MemAvailable"), Get("HugePages_Total"), Get("HugePages_Free"), Get("Hugepagesize"), Get("MemFree"));
    }
}
