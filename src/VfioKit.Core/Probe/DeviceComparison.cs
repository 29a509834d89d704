using VfioKit.GuestView;
using VfioKit.Vm;

namespace VfioKit.Probe;

/// <summary>One device: the prediction, the function the guest showed at the predicted address, and every check.</summary>
/// <param name="Predicted">The prediction for the device as configured (a vfio-pci device stays vfio-pci here).</param>
/// <param name="Seen">The guest's function at the predicted address, or null when there was none.</param>
/// <param name="StandIn">The stand-in booted for it, for vfio-pci devices.</param>
public sealed record DeviceComparison(GuestDevice Predicted, GuestFunction? Seen, StandIn? StandIn, ValueList<PropertyCheck> Checks)
{
    public string Name => Predicted.Name;
    public bool HasFindings => Checks.Any(c => c.IsFinding);
}
