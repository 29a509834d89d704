using System.Text.RegularExpressions;

namespace VfioKit.Tests.Architecture;

/// <summary>The layers written in docs/architecture.md: "### N. Name" headings, each followed by a
/// "Namespaces: `A`, `B`" line, lowest layer first.</summary>
public sealed partial record Layers(IReadOnlyList<Layer> All)
{
    public static Layers FromMarkdown(string markdown)
    {
        var layers = new List<Layer>();
        string? heading = null;
        foreach (var line in markdown.Split('\n'))
        {
            if (Heading().Match(line) is { Success: true } h) heading = h.Groups[1].Value.Trim();
            else if (heading is not null && line.StartsWith("Namespaces:", StringComparison.Ordinal))
            {
                var names = Name().Matches(line).Select(m => m.Groups[1].Value).ToList();
                layers.Add(new Layer(layers.Count, heading, names));
                heading = null;
            }
        }
        return new Layers(layers);
    }

    public Layer? Of(string ns) => All.FirstOrDefault(l => l.Namespaces.Contains(ns, StringComparer.Ordinal));

    /// <summary>Every use of a namespace in a later layer, and of a namespace no layer lists, as
    /// "A (layer 2 Model) uses B (layer 6 Rules, above it): T uses U".</summary>
    public IReadOnlyList<string> Violations(NamespaceGraph graph)
    {
        var problems = new List<string>();
        foreach (var from in graph.Namespaces)
        {
            var own = Of(from);
            if (own is null) { problems.Add($"{from} is in no layer of docs/architecture.md"); continue; }
            foreach (var to in graph.Uses(from).Order(StringComparer.Ordinal))
            {
                var other = Of(to);
                if (other is null) problems.Add($"{from} ({own}) uses {to}, which is in no layer: {graph.Why(from, to)}");
                else if (other.Index > own.Index) problems.Add($"{from} ({own}) uses {to} ({other}, above it): {graph.Why(from, to)}");
            }
        }
        return problems;
    }

    [GeneratedRegex(@"^###\s+\d+\.\s+(.+)$")]
    private static partial Regex Heading();

    [GeneratedRegex("`([A-Za-z0-9_.]+)`")]
    private static partial Regex Name();
}

public sealed record Layer(int Index, string Name, IReadOnlyList<string> Namespaces)
{
    public override string ToString() => $"layer {Index + 1} {Name}";
}
