using System.Text;

namespace VfioKit.Edits;

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

        // Line numbers before each op, so each hunk header costs O(1) (not a recount from the top).
        var oldBefore = new int[ops.Count + 1];
        var newBefore = new int[ops.Count + 1];
        for (var i = 0; i < ops.Count; i++)
        {
            oldBefore[i + 1] = oldBefore[i] + (ops[i].Op != '+' ? 1 : 0);
            newBefore[i + 1] = newBefore[i] + (ops[i].Op != '-' ? 1 : 0);
        }
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
            int oldStart = 1 + oldBefore[start], newStart = 1 + newBefore[start];
            var hunk = ops.GetRange(start, end - start);
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

    /// <summary>Beyond this many differing lines the middle is shown as removed then added (memory stays under ~4 MB).</summary>
    public const int MaxEditDistance = 1000;

    /// <summary>
    /// Myers' O(ND) greedy diff ("An O(ND) Difference Algorithm and Its Variations", 1986): time and memory grow
    /// with the number of differing lines D, not with the file's length squared; fix changes few lines.
    /// </summary>
    private static List<(char, string)> Middle(string[] a, string[] b)
    {
        int n = a.Length, m = b.Length;
        var result = new List<(char, string)>(n + m);
        if (n == 0 || m == 0)
        {
            foreach (var line in a) result.Add(('-', line));
            foreach (var line in b) result.Add(('+', line));
            return result;
        }
        var max = Math.Min(n + m, MaxEditDistance);
        var v = new int[2 * max + 3];
        var offset = max + 1;
        var trace = new List<int[]>();
        var found = -1;
        for (var d = 0; d <= max && found < 0; d++)
        {
            for (var k = -d; k <= d; k += 2)
            {
                var x = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
                var y = x - k;
                while (x < n && y < m && a[x] == b[y]) { x++; y++; }
                v[offset + k] = x;
                if (x >= n && y >= m) { found = d; break; }
            }
            // Only diagonals -d..d matter for the walk back: O(D²) memory in all.
            trace.Add(v[(offset - d)..(offset + d + 1)]);
        }
        if (found < 0)
        {
            foreach (var line in a) result.Add(('-', line));
            foreach (var line in b) result.Add(('+', line));
            return result;
        }

        // Walk back from (n, m), collecting the script in reverse.
        var reversed = new List<(char, string)>(n + m);
        int cx = n, cy = m;
        for (var d = found; d > 0; d--)
        {
            var prev = trace[d - 1]; // diagonals -(d-1)..(d-1), index k + d - 1
            var k = cx - cy;
            int Prev(int kk) => prev[kk + d - 1];
            var down = k == -d || (k != d && Prev(k - 1) < Prev(k + 1));
            var prevK = down ? k + 1 : k - 1;
            var prevX = Prev(prevK);
            var prevY = prevX - prevK;
            var startX = down ? prevX : prevX + 1;
            var startY = startX - k;
            while (cx > startX && cy > startY) { reversed.Add((' ', a[--cx])); cy--; }
            if (down) reversed.Add(('+', b[--cy]));
            else reversed.Add(('-', a[--cx]));
            cx = prevX;
            cy = prevY;
        }
        while (cx > 0 && cy > 0) { reversed.Add((' ', a[--cx])); cy--; }
        reversed.Reverse();
        return reversed;
    }
}
