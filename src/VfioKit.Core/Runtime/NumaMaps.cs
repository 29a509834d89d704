using System.Globalization;
using VfioKit.Host.Cpu;

namespace VfioKit.Runtime;

/// <summary>Where a process's memory is: /proc/PID/numa_maps summed per node ("N1=2048" pages of
/// "kernelpagesize_kB=4" each).</summary>
public sealed record NumaMaps(IReadOnlyDictionary<int, long> BytesPerNode)
{
    public long Total => BytesPerNode.Values.Sum();

    public long OffNodes(IReadOnlyCollection<int> planned) => BytesPerNode.Where(kv => !planned.Contains(kv.Key)).Sum(kv => kv.Value);

    /// <summary>The placement of process <paramref name="pid"/> from proc/PID/numa_maps under the root, or null when unreadable
    /// (<paramref name="note"/> then says so).</summary>
    public static NumaMaps? TryRead(SysfsText proc, int pid, out string? note)
    {
        var text = proc.TryRead($"proc/{pid}/numa_maps");
        note = text is null ? $"/proc/{pid}/numa_maps unreadable: memory placement not checked" : null;
        return text is null ? null : Parse(text);
    }

    public static NumaMaps Parse(string text)
    {
        var bytes = new SortedDictionary<int, long>();
        foreach (var line in text.Split('\n'))
        {
            long pageKib = 4;
            var counts = new List<(int Node, long Pages)>();
            foreach (var word in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (word.StartsWith("kernelpagesize_kB=", StringComparison.Ordinal)
                    && long.TryParse(word["kernelpagesize_kB=".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var k)) pageKib = k;
                else if (word.Length > 2 && word[0] == 'N' && char.IsAsciiDigit(word[1]))
                {
                    var eq = word.IndexOf('=');
                    if (eq > 1 && int.TryParse(word[1..eq], NumberStyles.None, CultureInfo.InvariantCulture, out var node)
                        && long.TryParse(word[(eq + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var pages))
                        counts.Add((node, pages));
                }
            }
            foreach (var (node, pages) in counts)
                bytes[node] = bytes.GetValueOrDefault(node) + pages * pageKib * 1024;
        }
        return new NumaMaps(bytes);
    }
}
