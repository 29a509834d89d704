using System.Globalization;

namespace VfioKit.Host.Cpu;

/// <summary>The two lines of nodeN/meminfo the planner uses ("Node 0 MemTotal:  32489480 kB").</summary>
public sealed record NodeMemInfo(long? MemTotalKiB, long? MemFreeKiB)
{
    public static NodeMemInfo Parse(string text)
    {
        long? total = null, free = null;
        foreach (var line in text.Split('\n'))
        {
            var words = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            // "Node", "0", "MemTotal:", "32489480", "kB"
            if (words.Length < 4) continue;
            if (!long.TryParse(words[3], NumberStyles.None, CultureInfo.InvariantCulture, out var kib)) continue;
            if (words[2] == "MemTotal:") total = kib;
            else if (words[2] == "MemFree:") free = kib;
        }
        return new NodeMemInfo(total, free);
    }
}
