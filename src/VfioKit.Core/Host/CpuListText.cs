using System.Globalization;
using System.Text;

namespace VfioKit.Host;

/// <summary>Writes CPU numbers the way the kernel lists them: "0-3,8,10-11".</summary>
public static class CpuListText
{
    public static string Format(IEnumerable<int> cpus)
    {
        var sorted = cpus.Distinct().Order().ToArray();
        var text = new StringBuilder();
        for (var i = 0; i < sorted.Length;)
        {
            var j = i;
            while (j + 1 < sorted.Length && sorted[j + 1] == sorted[j] + 1) j++;
            if (text.Length > 0) text.Append(',');
            text.Append(sorted[i].ToString(CultureInfo.InvariantCulture));
            if (j > i) text.Append('-').Append(sorted[j].ToString(CultureInfo.InvariantCulture));
            i = j + 1;
        }
        return text.ToString();
    }
}
