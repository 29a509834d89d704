namespace VfioKit.Vm;

/// <summary>A bus of the VM: the machine's root bus, or the secondary bus of a controller (named by its id).</summary>
/// <param name="Owner">The controller that provides the bus; null for the machine's root bus.</param>
public sealed record VmBus(string Id, BusKind Kind, VmDevice? Owner)
{
    /// <summary>The bus the owner sits on; null for root buses of the machine.</summary>
    public string? ParentBus => Owner?.Placement?.Bus ?? Owner?.Bus;
}
