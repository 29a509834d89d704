namespace VfioKit.Tests.Architecture;

/// <summary>The groups of namespaces that use each other, directly or round a loop (strongly connected
/// components, Tarjan), each with one concrete loop to show in a failure message.</summary>
public static class DependencyCycles
{
    public static IReadOnlyList<IReadOnlyList<string>> Find(NamespaceGraph graph)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var groups = new List<IReadOnlyList<string>>();
        var next = 0;

        void Visit(string v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in graph.Uses(v).Order(StringComparer.Ordinal))
            {
                if (!index.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var group = new List<string>();
            string x;
            do { x = stack.Pop(); onStack.Remove(x); group.Add(x); } while (x != v);
            if (group.Count > 1) groups.Add(group.Order(StringComparer.Ordinal).ToList());
        }

        foreach (var v in graph.Namespaces) if (!index.ContainsKey(v)) Visit(v);
        return groups;
    }

    /// <summary>One loop inside a group: the shortest path from its first namespace back to itself.</summary>
    public static IReadOnlyList<string> Loop(NamespaceGraph graph, IReadOnlyList<string> group)
    {
        var members = new HashSet<string>(group, StringComparer.Ordinal);
        var start = group[0];
        var from = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            var v = queue.Dequeue();
            foreach (var w in graph.Uses(v).Order(StringComparer.Ordinal))
            {
                if (!members.Contains(w)) continue;
                if (w == start)
                {
                    var path = new List<string> { start };
                    for (var p = v; p != start; p = from[p]) path.Insert(1, p);
                    path.Add(start);
                    return path;
                }
                if (from.TryAdd(w, v)) queue.Enqueue(w);
            }
        }
        return group;
    }
}
