using System.Collections.Immutable;
using System.Globalization;

namespace VfioKit.Pci;

/// <summary>
/// The PCI Express capability (ID 0x10), decoded (PCIe base spec 7.5.3). Registers that lie past the
/// bytes that were read come out as null or empty, never as invented values.
/// </summary>
public sealed record ExpressCapability
{
    /// <summary>Config-space offset of the capability.</summary>
    public required int Offset { get; init; }

    /// <summary>Capability version: 1 (PCIe 1.x) or 2 (PCIe 2.0 and later, with the "2" registers).</summary>
    public required int Version { get; init; }

    /// <summary>The device/port type; reserved encodings are kept as their number.</summary>
    public required PcieDeviceType DeviceType { get; init; }

    /// <summary>Slot Implemented, meaningful only for root and downstream ports (false elsewhere, as lspci).</summary>
    public required bool SlotImplemented { get; init; }

    public required int InterruptMessageNumber { get; init; }

    /// <summary>Max_Payload_Size Supported in bytes (128..4096), null when Device Capabilities was not read.</summary>
    public int? MaxPayloadSupported { get; init; }

    /// <summary>Function Level Reset Capability (Device Capabilities bit 28): what VFIO resets with first.</summary>
    public bool FunctionLevelReset { get; init; }

    /// <summary>Link Capabilities: the highest speed and width the port supports. Null for integrated
    /// endpoints and event collectors (no link) and when the register was not read.</summary>
    public PciLink? LinkCapability { get; init; }

    /// <summary>Port Number from Link Capabilities.</summary>
    public int? PortNumber { get; init; }

    /// <summary>Link Status: the speed and width the link trained to. Width 0 when the link is down.</summary>
    public PciLink? LinkStatus { get; init; }

    /// <summary>Link Capabilities 2 Supported Link Speeds Vector, slowest first; empty when not reported
    /// (version 1, or a zero register as in devices built before PCIe 3.0).</summary>
    public ImmutableArray<LinkSpeed> SupportedSpeeds { get; init; } = [];

    /// <summary>Link Control 2 Target Link Speed (the most a driver or firmware lets the link train to);
    /// null for version 1 or when not read, <see cref="LinkSpeed.Unknown"/> for a zero or reserved field.</summary>
    public LinkSpeed? TargetSpeed { get; init; }

    /// <summary>Physical Slot Number from Slot Capabilities, when a slot is implemented.</summary>
    public int? SlotNumber { get; init; }

    /// <summary>The fastest speed the function claims: the top of the supported-speeds vector, else Link Capabilities.</summary>
    public LinkSpeed MaxSpeed => !SupportedSpeeds.IsDefaultOrEmpty ? SupportedSpeeds[^1] : LinkCapability?.Speed ?? LinkSpeed.Unknown;

    /// <summary>"Express (v2) Root Port (Slot+)", the head of lspci -vv's line for this capability.</summary>
    public string Describe()
    {
        var slot = DeviceType.CanHaveSlot ? (SlotImplemented ? " (Slot+)" : " (Slot-)") : "";
        return string.Create(CultureInfo.InvariantCulture, $"Express (v{Version}) {DeviceType.LspciName}{slot}");
    }

    public override string ToString() => Describe();

    internal static ExpressCapability Decode(ConfigSpace config, int offset)
    {
        var flags = config.Word(offset + 2);
        var type = (PcieDeviceType)((flags >> 4) & 0xf);
        var version = flags & 0xf;
        var slot = type.CanHaveSlot && (flags & 0x100) != 0;

        int? maxPayload = null;
        var flr = false;
        if (config.Has(offset + 4, 4))
        {
            var devCap = config.Dword(offset + 4);
            maxPayload = 128 << (int)Math.Min(devCap & 0x7, 5);
            flr = (devCap & (1u << 28)) != 0;
        }

        PciLink? linkCap = null, linkSta = null;
        int? port = null;
        if (type.HasLink && config.Has(offset + 0xc, 8))
        {
            var lnkCap = config.Dword(offset + 0xc);
            linkCap = PciLink.FromRegister(lnkCap);
            port = (int)(lnkCap >> 24);
            linkSta = PciLink.FromRegister(config.Word(offset + 0x12));
        }

        int? slotNumber = null;
        if (slot && config.Has(offset + 0x14, 4))
            slotNumber = (int)(config.Dword(offset + 0x14) >> 19);

        var speeds = ImmutableArray<LinkSpeed>.Empty;
        LinkSpeed? target = null;
        if (version >= 2 && type.HasLink && config.Has(offset + 0x2c, 8))
        {
            speeds = SpeedsFromVector((int)((config.Dword(offset + 0x2c) >> 1) & 0x7f));
            var t = new LinkSpeed(config.Word(offset + 0x30) & 0xf);
            target = t.IsKnown ? t : LinkSpeed.Unknown;
        }

        return new ExpressCapability
        {
            Offset = offset,
            Version = version,
            DeviceType = type,
            SlotImplemented = slot,
            InterruptMessageNumber = (flags >> 9) & 0x1f,
            MaxPayloadSupported = maxPayload,
            FunctionLevelReset = flr,
            LinkCapability = linkCap,
            PortNumber = port,
            LinkStatus = linkSta,
            SupportedSpeeds = speeds,
            TargetSpeed = target,
            SlotNumber = slotNumber,
        };
    }

    /// <summary>Bit n of the Supported Link Speeds Vector stands for speed encoding n+1.</summary>
    private static ImmutableArray<LinkSpeed> SpeedsFromVector(int vector)
    {
        var b = ImmutableArray.CreateBuilder<LinkSpeed>();
        for (var bit = 0; bit < 7; bit++)
            if ((vector & (1 << bit)) != 0 && new LinkSpeed(bit + 1) is { IsKnown: true } s)
                b.Add(s);
        return b.ToImmutable();
    }
}
