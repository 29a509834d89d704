namespace VfioKit.Tests.Architecture;

/// <summary>The checks the architecture test relies on, on made-up graphs: they do fail, and say where.</summary>
public sealed class LayeringCheckerTests
{
    private static NamespaceGraph Graph(params (string From, string To)[] edges) =>
        new(edges.GroupBy(e => e.From).ToDictionary(g => g.Key, g => (IReadOnlyCollection<string>)g.Select(e => e.To).ToList()));

    private static readonly Layers Doc = Layers.FromMarkdown("""
        ### 1. Bottom

        Namespaces: `A.Low`, `A.Low2`

        ### 2. Top

        Namespaces: `A.High`
        """);

    [Fact]
    public void A_loop_through_three_namespaces_is_found_with_its_path()
    {
        var graph = Graph(("A.Rules", "A.Fixing"), ("A.Fixing", "A.Formats"), ("A.Formats", "A.Rules"), ("A.Formats", "A.Pci"));
        var group = Assert.Single(DependencyCycles.Find(graph));
        Assert.Equal(["A.Fixing", "A.Formats", "A.Rules"], group);
        Assert.Equal(["A.Fixing", "A.Formats", "A.Rules", "A.Fixing"], DependencyCycles.Loop(graph, group));
    }

    [Fact]
    public void Two_separate_loops_are_two_groups_and_a_chain_is_none()
    {
        var graph = Graph(("A", "B"), ("B", "A"), ("C", "D"), ("D", "C"), ("E", "F"), ("F", "G"));
        Assert.Equal(2, DependencyCycles.Find(graph).Count);
        Assert.Empty(DependencyCycles.Find(Graph(("E", "F"), ("F", "G"), ("E", "G"))));
    }

    [Fact]
    public void A_use_of_a_higher_layer_is_named_with_both_layers()
    {
        var problem = Assert.Single(Doc.Violations(Graph(("A.Low", "A.High"), ("A.High", "A.Low2"), ("A.Low2", "A.Low"))));
        Assert.Equal("A.Low (layer 1 Bottom) uses A.High (layer 2 Top, above it): A.Low uses A.High", problem);
    }

    [Fact]
    public void A_namespace_in_no_layer_is_reported()
    {
        var problems = Doc.Violations(Graph(("A.New", "A.Low"), ("A.High", "A.Other")));
        Assert.Equal([
            "A.High (layer 2 Top) uses A.Other, which is in no layer: A.High uses A.Other",
            "A.New is in no layer of docs/architecture.md",
            "A.Other is in no layer of docs/architecture.md"], problems);
    }

    [Fact]
    public void The_walker_sees_a_use_made_only_inside_a_method_body()
    {
        // This test assembly: the Architecture namespace uses VfioKit.Rules only inside LayeringTests' members
        // (typeof(Linter)), and a lambda's closure class counts for its outer type's namespace.
        var graph = NamespaceGraph.Read(typeof(LayeringCheckerTests).Assembly.Location, "VfioKit.");
        Assert.Contains("VfioKit.Rules", graph.Uses("VfioKit.Tests.Architecture"));
        Assert.Contains("VfioKit.Cli", graph.Uses("VfioKit.Tests.Architecture"));
        Assert.DoesNotContain(graph.Namespaces, n => n.Contains('<'));
    }
}
