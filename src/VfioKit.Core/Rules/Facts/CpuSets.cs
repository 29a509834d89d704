using System.Globalization;

namespace VfioKit.Rules;

/// <summary>Reads the CPU list syntax of sysfs, libvirt cpuset and Proxmox affinity: "0-3,8,10-11" (libvirt also "^2").</summary>
public static class CpuSets
{
    public static bool TryParse(string? text, out IReadOnlySet<int> cpus)
    {
        var set = new SortedSet<int>();
        cpus = set;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var excluded = new HashSet<int>();
        foreach (var raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var part = raw;
            var target = set as ISet<int>;
            if (part.StartsWith('^')) { part = part[1..]; target = excluded; }
            var dash = part.IndexOf('-');
            if (dash < 0)
            {
                if (!Int(part, out var one)) return false;
                target.Add(one);
                continue;
            }
            if (!Int(part[..dash], out var from) || !Int(part[(dash + 1)..], out var to) || to < from || to - from > 65536) return false;
            for (var c = from; c <= to; c++) target.Add(c);
        }
        set.ExceptWith(excluded);
        return set.Count > 0;
    }

    private static bool Int(string s, out int value) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value < 1 << 20;
}
