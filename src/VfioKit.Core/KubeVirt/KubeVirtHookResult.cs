namespace VfioKit.KubeVirt;

/// <summary>The domain XML for KubeVirt to define (the input itself when nothing was fixed) and what the hook
/// did or could not do, one line each, for the sidecar's log.</summary>
public sealed record KubeVirtHookResult(string Domain, IReadOnlyList<string> Notes);
