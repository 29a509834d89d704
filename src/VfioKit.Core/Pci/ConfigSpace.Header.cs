namespace VfioKit.Pci;

// The first 64 bytes: identity, class, header layout and bridge buses (PCI local bus spec 6.1).
public sealed partial class ConfigSpace
{
    public ushort VendorId => Word(0x00);
    public ushort DeviceId => Word(0x02);
    public ushort Command => Word(0x04);
    public ushort Status => Word(0x06);
    public byte Revision => Byte(0x08);

    /// <summary>Class code: base class, subclass, programming interface.</summary>
    public PciClass Class => new(Byte(0x0b), Byte(0x0a), Byte(0x09));

    /// <summary>Header layout without the multifunction bit: 0 = device, 1 = PCI-to-PCI bridge, 2 = CardBus bridge.</summary>
    public int HeaderType => Byte(0x0e) & 0x7f;

    /// <summary>Bit 7 of the header type: the slot has more functions than function 0.</summary>
    public bool IsMultifunction => (Byte(0x0e) & 0x80) != 0;

    public bool IsBridge => HeaderType == 1;

    /// <summary>True when no device answered: the vendor ID reads as all ones.</summary>
    public bool IsAbsent => VendorId == 0xffff;

    /// <summary>Status bit 4: the function has a capability list.</summary>
    public bool HasCapabilityList => (Status & 0x10) != 0;

    /// <summary>Interrupt pin: 0 none, 1..4 INTA..INTD.</summary>
    public byte InterruptPin => Byte(0x3d);

    /// <summary>Primary, secondary and subordinate bus numbers of a PCI-to-PCI or CardBus bridge; null for devices.</summary>
    public BridgeBuses? Buses => HeaderType is 1 or 2 ? new BridgeBuses(Byte(0x18), Byte(0x19), Byte(0x1a)) : null;

    /// <summary>Subsystem vendor ID: from the header of a device (0x2c), CardBus bridge (0x40), or the
    /// Subsystem capability of a PCI-to-PCI bridge; null when none of them was read.</summary>
    public ushort? SubsystemVendorId => SubsystemAt() is { } o ? Word(o) : null;

    /// <summary>Subsystem ID, found as <see cref="SubsystemVendorId"/>.</summary>
    public ushort? SubsystemId => SubsystemAt() is { } o ? Word(o + 2) : null;

    private int? SubsystemAt()
    {
        var at = HeaderType switch
        {
            0 => 0x2c,
            1 => Find(CapabilityId.BridgeSubsystemId) is { } c ? c.Offset + 4 : -1,
            2 => 0x40,
            _ => -1,
        };
        return at >= 0 && Has(at, 4) ? at : null;
    }

    /// <summary>Offset of the register that holds the first capability pointer (0x14 in a CardBus header).</summary>
    private int CapabilityPointerRegister => HeaderType == 2 ? 0x14 : 0x34;
}
