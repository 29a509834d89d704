using System.Buffers.Binary;
using System.Collections.Immutable;

namespace VfioKit.Pci;

/// <summary>
/// A decoded PCI configuration space: 64 bytes (what sysfs gives a non-root reader), 256 (conventional
/// PCI) or 4096 (PCI Express). Immutable. Lists that point outside the bytes that were read, loop or point
/// into the header are cut short and say so (<see cref="CapabilityChainEnd"/>), never throw.
/// </summary>
public sealed partial class ConfigSpace
{
    /// <summary>The fewest bytes that hold the header: vendor, class, header type, buses.</summary>
    public const int HeaderLength = 64;

    /// <summary>The most bytes a PCI Express function has.</summary>
    public const int ExtendedLength = 4096;

    private const int ExtendedStart = 0x100;

    private readonly byte[] _bytes;

    private ConfigSpace(byte[] bytes)
    {
        _bytes = bytes;
        (Capabilities, CapabilityChainEnd) = WalkCapabilities();
        var exp = Find(CapabilityId.Express);
        Express = exp is null ? null : ExpressCapability.Decode(this, exp.Offset);
        var canHaveExtended = exp is not null || Find(CapabilityId.PciX) is not null;
        (ExtendedCapabilities, ExtendedCapabilityChainEnd) = canHaveExtended && Length > ExtendedStart
            ? WalkExtendedCapabilities()
            : ([], ChainEnd.Complete);
    }

    /// <summary>Decodes 64 to 4096 bytes of config space (a copy is kept).</summary>
    /// <exception cref="FormatException">Fewer than 64 or more than 4096 bytes.</exception>
    public static ConfigSpace Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderLength)
            throw new FormatException($"PCI config space needs at least {HeaderLength} bytes, got {bytes.Length}");
        if (bytes.Length > ExtendedLength)
            throw new FormatException($"PCI config space has at most {ExtendedLength} bytes, got {bytes.Length}");
        return new ConfigSpace(bytes.ToArray());
    }

    /// <summary>Like <see cref="Parse"/>, false instead of an exception for a wrong length.</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ConfigSpace? config)
    {
        config = bytes.Length is >= HeaderLength and <= ExtendedLength ? new ConfigSpace(bytes.ToArray()) : null;
        return config is not null;
    }

    /// <summary>How many bytes were read: 64, 256, 4096 (or anything in between from a partial dump).</summary>
    public int Length => _bytes.Length;

    /// <summary>The raw bytes, as given.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>True when the bytes reach the extended space (0x100 and up) at all.</summary>
    public bool HasExtendedSpace => Length > ExtendedStart;

    /// <summary>True when <paramref name="count"/> bytes from <paramref name="offset"/> were read.</summary>
    public bool Has(int offset, int count) => offset >= 0 && count >= 0 && offset <= Length - count;

    /// <exception cref="ArgumentOutOfRangeException">The byte was not read.</exception>
    public byte Byte(int offset) => Has(offset, 1) ? _bytes[offset] : throw OutOfRange(offset, 1);

    /// <summary>A little-endian 16-bit register.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The register was not (fully) read.</exception>
    public ushort Word(int offset) =>
        Has(offset, 2) ? BinaryPrimitives.ReadUInt16LittleEndian(_bytes.AsSpan(offset)) : throw OutOfRange(offset, 2);

    /// <summary>A little-endian 32-bit register.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The register was not (fully) read.</exception>
    public uint Dword(int offset) =>
        Has(offset, 4) ? BinaryPrimitives.ReadUInt32LittleEndian(_bytes.AsSpan(offset)) : throw OutOfRange(offset, 4);

    private ArgumentOutOfRangeException OutOfRange(int offset, int count) =>
        new(nameof(offset), offset, $"{count} byte(s) at 0x{offset:x} lie outside the {Length} bytes of config space that were read");
}
