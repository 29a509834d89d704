namespace VfioKit.Libvirt;

/// <summary>A node device (virNodeDeviceGetXMLDesc): libvirt's name (pci_0000_0b_00_0) and its XML.</summary>
public sealed record LibvirtNodeDevice(string Name, string Xml);
