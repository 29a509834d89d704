namespace VfioKit.Run;

/// <summary>The steps a VM needs, in the order they are made (and undone in reverse), for the journal <see cref="Name"/>.</summary>
public sealed record HostChangePlan(string Name, IReadOnlyList<HostStep> Steps);
