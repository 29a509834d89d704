using VfioKit.Pci;

namespace VfioKit.Host;

/// <summary>A physical device: a slot (domain:bus:device) with every function the host shows in it.</summary>
public sealed record PhysicalSlot(PciSlot Slot, IReadOnlyList<PciFunction> Functions)
{
    public bool IsMultifunction => Functions.Count > 1;
}
