namespace VfioKit.Report;

/// <summary>Where the pinning drawn comes from.</summary>
public enum PinningSource
{
    /// <summary>The VM configuration's own pinning (libvirt &lt;cputune&gt;, Proxmox affinity).</summary>
    Config,
    /// <summary>A plan written by `vfiokit plan --json`.</summary>
    Plan,
}

/// <summary>The VM's threads and where they are pinned, with the NUMA nodes its memory is bound to (empty when not bound).</summary>
public sealed record Pinning(PinningSource Source, IReadOnlyList<PinnedThread> Threads, IReadOnlyList<int> MemoryNodes)
{
    public IEnumerable<PinnedThread> Vcpus => Threads.Where(t => t.Kind == PinnedThreadKind.Vcpu);
}
