namespace VfioKit.Run;

/// <summary>The steps a VM needs, in the order they are made (and undone in reverse), for the journal <see cref="Name"/>.</summary>
public sealed record HostChangePlan(string Name, IReadOnlyList<HostStep> Steps)
{
    /// <summary>How the host's cgroups are run (which way CPUs are isolated and QEMU gets a cgroup of its own).</summary>
    public CgroupLayout? Cgroups { get; init; }

    /// <summary>What the plan cannot do on this host, for the user (a dry run prints them).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
