using System.Globalization;
using VfioKit.Host.Cpu;

namespace VfioKit.Runtime;

/// <summary>The lines of /proc/PID/task/TID/status that pinning needs.</summary>
public sealed record TaskStatus(string? Name, int? Tgid, CpuList? CpusAllowed)
{
    public static TaskStatus Parse(string text)
    {
        string? name = null;
        int? tgid = null;
        CpuList? allowed = null;
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon < 0) continue;
            var value = line[(colon + 1)..].Trim();
            switch (line[..colon])
            {
                case "Name": name = value; break;
                case "Tgid" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t): tgid = t; break;
                case "Cpus_allowed_list" when CpuList.TryParse(value, out var l): allowed = l; break;
            }
        }
        return new TaskStatus(name, tgid, allowed);
    }
}
