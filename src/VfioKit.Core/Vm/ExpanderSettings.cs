namespace VfioKit.Vm;

/// <summary>A pxb-pcie (or pxb) expander bus: the guest bus number it starts at and its NUMA node.</summary>
public sealed record ExpanderSettings(int BusNr, int? NumaNode = null);
