namespace VfioKit.Pci;

/// <summary>One function of an lspci dump: its address, the text lspci put after it, its config space.</summary>
/// <param name="Address">The function's address (domain 0 when the dump has none).</param>
/// <param name="Description">What followed the address on the header line ("PCI bridge: Red Hat, Inc. ..."), maybe empty.</param>
/// <param name="Config">The decoded bytes.</param>
public sealed record LspciDumpEntry(PciAddress Address, string Description, ConfigSpace Config);
