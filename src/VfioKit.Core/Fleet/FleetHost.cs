namespace VfioKit.Fleet;

/// <summary>One host of a fleet: the URI as given, and its domains; or the error that kept vfiokit from reaching it.</summary>
public sealed record FleetHost(string Uri, IReadOnlyList<FleetDomain> Domains, string? Error)
{
    public bool Reached => Error is null;
}
