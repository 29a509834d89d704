using System.Buffers.Binary;

namespace VfioKit.Host;

/// <summary>
/// Which bytes of a function's config space to read, as lspci chooses them: the 64-byte header; with a
/// capability list, each capability's first dword (id, next pointer, the register the model decodes) and the
/// whole PCI Express capability; for PCI Express (or PCI-X) functions with extended space, each extended
/// capability's header. The result is as long as the space the reader could reach (64, 256 or 4096 bytes),
/// zero where nothing was read, and decodes (<see cref="VfioKit.Pci.ConfigSpace"/>) to the same capability
/// lists, chain ends and PCIe facts as the full read: the walk stops where the decoder stops.
/// </summary>
internal static class ConfigSpaceWalk
{
    private const int HeaderLength = VfioKit.Pci.ConfigSpace.HeaderLength;
    private const int StandardLength = 256;
    private const int ExtendedLength = VfioKit.Pci.ConfigSpace.ExtendedLength;
    private const int ExpressLength = 0x3c; // through Link Status 2: all the decoder looks at
    private const byte ExpressId = 0x10;
    private const byte PciXId = 0x07;

    /// <summary>Reads the ranges and returns how many bytes of the buffer make up the config space.</summary>
    public static int Walk(FileRanges file)
    {
        if (!file.Read(0, Math.Min(HeaderLength, file.Size)) || file.Size < HeaderLength) return file.ReadableEnd;
        var header = file.Bytes;
        var hasList = (header[6] & 0x10) != 0 && (header[0x0e] & 0x7f) <= 2;
        if (!hasList) return HeaderLength;

        var standard = Math.Min(file.Size, StandardLength);
        var seen = new bool[StandardLength];
        var extended = false;
        var at = header[0x34] & ~3;
        while (at >= HeaderLength && at + 4 <= standard && !seen[at])
        {
            seen[at] = true;
            if (!file.Read(at, 4)) return file.ReadableEnd;
            var id = file.Bytes[at];
            if (id == 0xff) break;
            if (id == ExpressId) file.Read(at + 4, Math.Min(ExpressLength, standard - at) - 4);
            extended |= id is ExpressId or PciXId;
            at = file.Bytes[at + 1] & ~3;
        }
        if (!extended || file.Size <= StandardLength) return Math.Min(standard, file.ReadableEnd);

        var end = Math.Min(file.Size, ExtendedLength);
        var seenExtended = new HashSet<int>();
        at = StandardLength;
        while (at + 4 <= end && seenExtended.Add(at) && file.Read(at, 4))
        {
            var dword = BinaryPrimitives.ReadUInt32LittleEndian(file.Bytes[at..]);
            if (dword is 0 or 0xffffffff) break;
            var next = (int)(dword >> 20) & ~3;
            if (next < StandardLength) break;
            at = next;
        }
        return Math.Min(end, file.ReadableEnd);
    }
}
