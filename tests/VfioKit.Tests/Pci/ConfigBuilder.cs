using System.Buffers.Binary;
using VfioKit.Pci;

namespace VfioKit.Tests.Pci;

/// <summary>Lays out a synthetic config space byte by byte, the way the spec defines the registers, for
/// the cases no QEMU device produces (loops, bad pointers, every extended capability ID).</summary>
public sealed class ConfigBuilder
{
    private readonly byte[] _b;

    public ConfigBuilder(int length = 4096, ushort vendor = 0x10de, ushort device = 0x2684, int classCode = 0x030000, int headerType = 0)
    {
        _b = new byte[length];
        Word(0x00, vendor).Word(0x02, device);
        _b[0x09] = (byte)classCode; _b[0x0a] = (byte)(classCode >> 8); _b[0x0b] = (byte)(classCode >> 16);
        _b[0x0e] = (byte)headerType;
    }

    public byte[] Bytes => _b;

    public ConfigSpace Build() => ConfigSpace.Parse(_b);

    public ConfigBuilder Byte(int at, byte v) { _b[at] = v; return this; }
    public ConfigBuilder Word(int at, ushort v) { BinaryPrimitives.WriteUInt16LittleEndian(_b.AsSpan(at), v); return this; }
    public ConfigBuilder Dword(int at, uint v) { BinaryPrimitives.WriteUInt32LittleEndian(_b.AsSpan(at), v); return this; }

    /// <summary>A standard capability list: each entry (offset, id) points to the next; the last to
    /// <paramref name="lastNext"/> (0 ends the list; anything else makes a loop or bad pointer).</summary>
    public ConfigBuilder Capabilities((int Offset, byte Id)[] caps, int lastNext = 0)
    {
        Word(0x06, (ushort)(_b[0x06] | 0x10)); // Status: capability list
        _b[0x34] = (byte)(caps.Length > 0 ? caps[0].Offset : lastNext);
        for (var i = 0; i < caps.Length; i++)
        {
            _b[caps[i].Offset] = caps[i].Id;
            _b[caps[i].Offset + 1] = (byte)(i + 1 < caps.Length ? caps[i + 1].Offset : lastNext);
        }
        return this;
    }

    /// <summary>An Express capability at <paramref name="at"/> (its ID byte and next pointer are set by
    /// <see cref="Capabilities"/>): flags, Device/Link Capabilities, Link Status, Slot Capabilities,
    /// Link Capabilities 2 and Link Control 2.</summary>
    public ConfigBuilder Express(int at, int version, PcieDeviceType type, bool slot = false, uint devCap = 0,
        int capSpeed = 0, int capWidth = 0, int port = 0, int staSpeed = 0, int staWidth = 0, int speedVector = 0,
        int targetSpeed = 0, int slotNumber = 0)
    {
        Word(at + 2, (ushort)(version | ((int)type << 4) | (slot ? 0x100 : 0)));
        Dword(at + 4, devCap);
        Dword(at + 0xc, (uint)(capSpeed | (capWidth << 4) | (port << 24)));
        Word(at + 0x12, (ushort)(staSpeed | (staWidth << 4)));
        Dword(at + 0x14, (uint)slotNumber << 19);
        Dword(at + 0x2c, (uint)speedVector << 1);
        Word(at + 0x30, (ushort)targetSpeed);
        return this;
    }

    /// <summary>An extended capability list from 0x100: entries (offset, id, version) chained in order,
    /// the last pointing to <paramref name="lastNext"/>.</summary>
    public ConfigBuilder Extended((int Offset, int Id, int Version)[] caps, int lastNext = 0)
    {
        for (var i = 0; i < caps.Length; i++)
        {
            var next = i + 1 < caps.Length ? caps[i + 1].Offset : lastNext;
            Dword(caps[i].Offset, (uint)(caps[i].Id | (caps[i].Version << 16) | (next << 20)));
        }
        return this;
    }
}
