namespace VfioKit.Report;

/// <summary>Which check raised a report finding.</summary>
public enum FindingOrigin
{
    /// <summary>A lint rule (VKnnn) on the VM configuration.</summary>
    Lint,
    /// <summary>The guest-view prediction: something QEMU would reject or the guest would not see.</summary>
    GuestView,
    /// <summary>The pinning check: split SMT pair, cross-node placement, memory away from the GPU.</summary>
    Pinning,
    /// <summary>A failed or warning readiness check of the host.</summary>
    Readiness,
}
