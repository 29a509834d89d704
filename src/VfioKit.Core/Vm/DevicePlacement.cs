namespace VfioKit.Vm;

/// <summary>Where a device ends up: the id of its bus, its slot.function there, and who chose it.</summary>
public sealed record DevicePlacement(string Bus, GuestAddress Address, AddressOrigin Origin)
{
    public override string ToString() => $"{Bus}:{Address}{(Origin == AddressOrigin.Explicit ? "" : " (" + Origin.ToString().ToLowerInvariant() + ")")}";
}
