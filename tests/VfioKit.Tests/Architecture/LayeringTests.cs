using VfioKit.Rules;

namespace VfioKit.Tests.Architecture;

/// <summary>The core's namespaces form no cycle and keep to the layers written in docs/architecture.md; the CLI
/// uses only documented namespaces. Read from the compiled assemblies, so every type reference counts.</summary>
public sealed class LayeringTests
{
    private static readonly Layers Documented =
        Layers.FromMarkdown(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "architecture.md")));

    // Each assembly is read once for all the tests here (walking every type reference is the slow part).
    private static readonly Lazy<NamespaceGraph> Core = new(() => NamespaceGraph.Read(typeof(Linter).Assembly.Location, "VfioKit."));

    private static readonly Lazy<NamespaceGraph> Cli = new(() => NamespaceGraph.Read(typeof(VfioKit.Cli.ExitCodes).Assembly.Location, "VfioKit."));

    [Fact]
    public void The_document_names_the_layers_lowest_first()
    {
        Assert.Equal(
            ["Foundation", "Model", "Behaviour", "Formats", "Analysis", "Repair", "Rules", "Verbs", "CLI"],
            Documented.All.Select(l => l.Name));
        Assert.All(Documented.All, l => Assert.NotEmpty(l.Namespaces));
        var listed = Documented.All.SelectMany(l => l.Namespaces).ToList();
        Assert.Equal(listed.Count, listed.Distinct().Count());
    }

    [Fact]
    public void No_core_namespaces_use_each_other()
    {
        var graph = Core.Value;
        Assert.Contains("VfioKit.Rules", graph.Namespaces);
        var loops = DependencyCycles.Find(graph)
            .Select(g => string.Join(" -> ", DependencyCycles.Loop(graph, g)) + " (" +
                         string.Join("; ", Pairs(DependencyCycles.Loop(graph, g)).Select(p => graph.Why(p.From, p.To))) + ")")
            .ToList();
        Assert.True(loops.Count == 0, "namespace cycles in VfioKit.Core:\n" + string.Join("\n", loops));
    }

    [Fact]
    public void Core_namespaces_use_only_their_own_layer_and_the_layers_below()
    {
        var graph = Core.Value;
        var problems = Documented.Violations(graph);
        Assert.True(problems.Count == 0, "layering of VfioKit.Core (docs/architecture.md):\n" + string.Join("\n", problems));
    }

    [Fact]
    public void Every_documented_namespace_exists()
    {
        var existing = Core.Value.Namespaces.Concat(Cli.Value.Namespaces).ToHashSet();
        Assert.All(Documented.All.SelectMany(l => l.Namespaces), n => Assert.Contains(n, existing));
    }

    [Fact]
    public void The_cli_uses_only_documented_namespaces_and_is_the_top_layer()
    {
        var graph = Cli.Value;
        Assert.Contains("VfioKit.Cli.Commands", graph.Namespaces);
        Assert.All(graph.Namespaces.Where(n => n.StartsWith("VfioKit.Cli", StringComparison.Ordinal)),
            n => Assert.Equal("CLI", Documented.Of(n)?.Name));
        var problems = Documented.Violations(graph);
        Assert.True(problems.Count == 0, "layering of the CLI:\n" + string.Join("\n", problems));
    }

    private static IEnumerable<(string From, string To)> Pairs(IReadOnlyList<string> loop) =>
        loop.Zip(loop.Skip(1), (a, b) => (a, b));
}
