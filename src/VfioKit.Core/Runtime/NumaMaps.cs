using System.Globalization;

namespace VfioKit.Runtime;

/// <summary>Where a process's memory is: /proc/PID/numa_maps summed per node ("N1=2048" pages of
/// "kernelpagesize_kB=4" each).</summary>
public sealed record NumaMaps(IReadOnlyDictionary<int, long> BytesPerNode)
{
    public long Total => BytesPerNode.Values.Sum();

    public long OffNodes(IReadOnlyCollection<int> planned) => BytesPerNode.Where(kv => !planned.Contains(kv.Key)).Sum(kv => kv.Value);

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
