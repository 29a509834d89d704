namespace VfioKit.Fleet;

/// <summary>One host of <see cref="FleetFix"/>: its domains, or the error that kept vfiokit from reaching it (with the
/// domains done before a connection dropped).</summary>
public sealed record FleetFixHost(string Uri, IReadOnlyList<FleetFixDomain> Domains, string? Error)
{
    public bool Reached => Error is null;
}
