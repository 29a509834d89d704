namespace VfioKit.Pci;

// The few fields of the Power Management, MSI and MSI-X capabilities that passthrough cares about:
// what lspci prints on their first line ("version 3", "Count=1/4", "Count=65").
public sealed partial class ConfigSpace
{
    /// <summary>Power Management capability version (PMC bits 2:0), null without the capability or its register.</summary>
    public int? PowerManagementVersion => CapabilityWord(CapabilityId.PowerManagement) is { } pmc ? pmc & 0x7 : null;

    /// <summary>MSI Multiple Message Capable: how many vectors the function can ask for (1..32).</summary>
    public int? MsiVectors => CapabilityWord(CapabilityId.Msi) is { } ctl ? 1 << Math.Min((ctl >> 1) & 0x7, 5) : null;

    /// <summary>MSI 64-bit Address Capable.</summary>
    public bool? Msi64Bit => CapabilityWord(CapabilityId.Msi) is { } ctl ? (ctl & 0x80) != 0 : null;

    /// <summary>MSI-X Table Size: the number of vectors (1..2048).</summary>
    public int? MsiXVectors => CapabilityWord(CapabilityId.MsiX) is { } ctl ? (ctl & 0x7ff) + 1 : null;

    /// <summary>The 16-bit register right after a capability's ID and next pointer, when it was read.</summary>
    private int? CapabilityWord(CapabilityId id) => Find(id) is { } c && Has(c.Offset + 2, 2) ? Word(c.Offset + 2) : null;
}
