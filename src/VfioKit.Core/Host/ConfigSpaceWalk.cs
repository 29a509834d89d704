using System.Buffers.Binary;
using VfioKit.Files;

namespace VfioKit.Host;

/// <summary>
/// Which bytes of a function's config space to read, as lspci chooses them: the 64-byte header; with a
/// capability list, each capability's first dword (id, next pointer, the register the model decodes), the
/// whole PCI Express capability and a bridge's subsystem ids; for PCI Express (or PCI-X) functions with extended space, each extended
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
    private const byte BridgeSubsystemId = 0x0d; // a PCI-to-PCI bridge's subsystem ids, in the dword after its header

    /// <summary>Reads the ranges and returns how many bytes of the buffer make up the config space.</summary>
    public static int Walk(FileRanges file)
    {
        if (!file.Read(0, Math.Min(HeaderLength, file.Size)) || file.Size < HeaderLength) return file.ReadableEnd;
        var header = file.Bytes;
        // The status register's capability-list bit: the standard space (256 bytes) is read, as lspci reads it.
        if ((header[6] & 0x10) == 0) return HeaderLength;
        var standard = Math.Min(file.Size, StandardLength);
        // Only header types 0-2 have a list pointer; for others, one dword says whether more than 64 bytes are readable.
        if ((header[0x0e] & 0x7f) > 2) return file.Read(HeaderLength, Math.Min(4, standard - HeaderLength)) ? standard : file.ReadableEnd;

        var type = header[0x0e] & 0x7f;
        // A CardBus bridge keeps its subsystem ids at 0x40 and its list pointer at 0x14.
        if (type == 2 && !file.Read(0x40, Math.Min(4, standard - 0x40))) return file.ReadableEnd;
        var seen = new bool[StandardLength];
        var extended = false;
        var at = header[type == 2 ? 0x14 : 0x34] & ~3;
        while (at >= HeaderLength && at + 4 <= standard && !seen[at])
        {
            seen[at] = true;
            if (!file.Read(at, 4)) return file.ReadableEnd;
            var id = file.Bytes[at];
            if (id == 0xff) break;
            if (id == ExpressId) file.Read(at + 4, Math.Min(ExpressLength, standard - at) - 4);
            if (id == BridgeSubsystemId) file.Read(at + 4, Math.Min(8, standard - at) - 4);
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
