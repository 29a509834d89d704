using System.Text;

namespace VfioKit.Fixing;

/// <summary>A unified diff (diff -u, 3 lines of context) between two texts, for `fix --diff`.</summary>
public static class UnifiedDiff
{
    public static string Of(string oldText, string newText, string oldName, string newName, int context = 3)
    {
        if (oldText == newText) return "";
        var a = SplitLines(oldText);
        var b = SplitLines(newText);
        // Changes are local: strip the common head and tail so the LCS table stays small.
        var head = 0;
        while (head < a.Length && head < b.Length && a[head] == b[head]) head++;
        var tail = 0;
        while (tail < a.Length - head && tail < b.Length - head && a[^(tail + 1)] == b[^(tail + 1)]) tail++;
        var ops = new List<(char Op, string Line)>();
        for (var i = 0; i < head; i++) ops.Add((' ', a[i]));
        ops.AddRange(Middle(a[head..(a.Length - tail)], b[head..(b.Length - tail)]));
        for (var i = a.Length - tail; i < a.Length; i++) ops.Add((' ', a[i]));

        var sb = new StringBuilder();
        sb.Append("--- ").Append(oldName).Append('\n').Append("+++ ").Append(newName).Append('\n');
        var k = 0;
        while (k < ops.Count)
        {
            if (ops[k].Op == ' ') { k++; continue; }
            var start = Math.Max(0, k - context);
            var end = k;
            // Extend the hunk while changes are within 2*context lines of each other.
            while (end < ops.Count)
            {
                if (ops[end].Op != ' ') { end++; continue; }
                var run = end;
                while (run < ops.Count && ops[run].Op == ' ') run++;
                if (run < ops.Count && run - end <= 2 * context) { end = run; continue; }
                end = Math.Min(ops.Count, end + context);
                break;
            }
            int oldStart = 1 + ops.Take(start).Count(o => o.Op != '+'), newStart = 1 + ops.Take(start).Count(o => o.Op != '-');
            var hunk = ops.Skip(start).Take(end - start).ToList();
            int oldCount = hunk.Count(o => o.Op != '+'), newCount = hunk.Count(o => o.Op != '-');
            sb.Append($"@@ -{(oldCount == 0 ? oldStart - 1 : oldStart)},{oldCount} +{(newCount == 0 ? newStart - 1 : newStart)},{newCount} @@\n");
            foreach (var (op, line) in hunk)
            {
                sb.Append(op).Append(line.TrimEnd('\n')).Append('\n');
                if (!line.EndsWith('\n')) sb.Append("\\ No newline at end of file\n");
            }
            k = end;
        }
        return sb.ToString();
    }

    private static string[] SplitLines(string text)
    {
        var lines = new List<string>();
        var at = 0;
        while (at < text.Length)
        {
            var nl = text.IndexOf('\n', at);
            var end = nl < 0 ? text.Length : nl + 1;
            lines.Add(text[at..end]);
            at = end;
        }
        return [.. lines];
    }

    private static IEnumerable<(char, string)> Middle(string[] a, string[] b)
    {
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
            for (var j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] == b[y]) { yield return (' ', a[x]); x++; y++; }
            else if (lcs[x + 1, y] >= lcs[x, y + 1]) yield return ('-', a[x++]);
            else yield return ('+', b[y++]);
        }
        while (x < a.Length) yield return ('-', a[x++]);
        while (y < b.Length) yield return ('+', b[y++]);
    }
}
