using VfioKit.Pci;

namespace VfioKit.Host;

/// <summary>An IOMMU group: the smallest set of devices the host can isolate, so they go to a VM together.</summary>
public sealed record IommuGroup(int Number, IReadOnlyList<PciAddress> Devices);
