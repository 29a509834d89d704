using System.Collections.Immutable;

namespace VfioKit.Pci;

// Walking the two capability lists, guarded the way pciutils guards them (a visited set) plus the
// spec's ranges: standard entries live in 0x40..0xff, extended ones in 0x100..0xfff.
public sealed partial class ConfigSpace
{
    /// <summary>The standard capability list in list order (what lspci prints as "Capabilities: [xx]").</summary>
    public ImmutableArray<Capability> Capabilities { get; }

    /// <summary>How the walk of <see cref="Capabilities"/> ended. <see cref="ChainEnd.Truncated"/> for a
    /// 64-byte read of a device that has capabilities (lspci: "&lt;access denied&gt;").</summary>
    public ChainEnd CapabilityChainEnd { get; }

    /// <summary>The extended capability list from 0x100, in list order. Empty unless the function has a
    /// PCI Express or PCI-X capability and more than 256 bytes were read (as lspci).</summary>
    public ImmutableArray<ExtendedCapability> ExtendedCapabilities { get; }

    /// <summary>How the walk of <see cref="ExtendedCapabilities"/> ended.</summary>
    public ChainEnd ExtendedCapabilityChainEnd { get; }

    /// <summary>The decoded PCI Express capability; null for conventional PCI functions (or a 64-byte read).</summary>
    public ExpressCapability? Express { get; }

    public bool IsPciExpress => Express is not null;
    public bool HasPowerManagement => Find(CapabilityId.PowerManagement) is not null;
    public bool HasMsi => Find(CapabilityId.Msi) is not null;
    public bool HasMsiX => Find(CapabilityId.MsiX) is not null;
    public bool HasVendorSpecific => Find(CapabilityId.VendorSpecific) is not null;

    /// <summary>The first standard capability with this ID, or null.</summary>
    public Capability? Find(CapabilityId id)
    {
        foreach (var c in Capabilities)
            if (c.Id == id) return c;
        return null;
    }

    /// <summary>The first extended capability with this ID, or null.</summary>
    public ExtendedCapability? Find(ExtendedCapabilityId id)
    {
        foreach (var c in ExtendedCapabilities)
            if (c.Id == id) return c;
        return null;
    }

    private (ImmutableArray<Capability>, ChainEnd) WalkCapabilities()
    {
        if (!HasCapabilityList || HeaderType > 2)
            return ([], ChainEnd.Complete);
        var list = ImmutableArray.CreateBuilder<Capability>();
        var seen = new bool[256];
        var at = Byte(CapabilityPointerRegister) & ~3;
        while (at != 0)
        {
            if (at < HeaderLength) return (list.ToImmutable(), ChainEnd.PointerIntoHeader);
            if (!Has(at, 4)) return (list.ToImmutable(), ChainEnd.Truncated);
            if (seen[at]) return (list.ToImmutable(), ChainEnd.Looped);
            seen[at] = true;
            var id = Byte(at);
            if (id == 0xff) return (list.ToImmutable(), ChainEnd.Broken);
            list.Add(new Capability(at, (CapabilityId)id));
            at = Byte(at + 1) & ~3;
        }
        return (list.ToImmutable(), ChainEnd.Complete);
    }

    private (ImmutableArray<ExtendedCapability>, ChainEnd) WalkExtendedCapabilities()
    {
        var list = ImmutableArray.CreateBuilder<ExtendedCapability>();
        var seen = new bool[ExtendedLength];
        var at = ExtendedStart;
        while (true)
        {
            if (!Has(at, 4)) return (list.ToImmutable(), ChainEnd.Truncated);
            var header = Dword(at);
            // 0 ends the list (and at 0x100 means there is none); all ones at 0x100 is a device without
            // extended space, further down it is a broken list.
            if (header == 0) return (list.ToImmutable(), ChainEnd.Complete);
            if (header == 0xffffffff) return (list.ToImmutable(), at == ExtendedStart ? ChainEnd.Complete : ChainEnd.Broken);
            if (seen[at]) return (list.ToImmutable(), ChainEnd.Looped);
            seen[at] = true;
            list.Add(new ExtendedCapability(at, (ExtendedCapabilityId)(header & 0xffff), (int)((header >> 16) & 0xf)));
            var next = (int)(header >> 20) & ~3;
            if (next == 0) return (list.ToImmutable(), ChainEnd.Complete);
            if (next < ExtendedStart) return (list.ToImmutable(), ChainEnd.PointerIntoHeader);
            at = next;
        }
    }
}
