namespace VfioKit.Pci;

/// <summary>The bus numbers of a PCI-to-PCI bridge (header type 1): its own bus, the bus behind it and
/// the highest bus number below it.</summary>
public readonly record struct BridgeBuses(int Primary, int Secondary, int Subordinate);
