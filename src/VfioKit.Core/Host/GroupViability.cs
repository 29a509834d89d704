using VfioKit.Pci;

namespace VfioKit.Host;

public enum Viability
{
    /// <summary>The groups hold only the slot's own functions (and bridges or ports, which stay with the host).</summary>
    Viable,
    /// <summary>Another endpoint shares a group: it must go to the VM too, or the slot cannot be passed through.</summary>
    NotViable,
    /// <summary>No IOMMU groups to judge by (IOMMU off or the group links unreadable).</summary>
    Unknown,
}

/// <summary>
/// Whether a slot can be passed to a VM as it is: its IOMMU groups, the other endpoints that would have
/// to go along (bridges and PCIe ports excluded: vfio does not need them), and a sentence saying so.
/// </summary>
public sealed record GroupViability(Viability Verdict, IReadOnlyList<int> Groups, IReadOnlyList<PciAddress> MustGoAlong, string Explanation)
{
    public bool IsViable => Verdict == Viability.Viable;
}
