using VfioKit.Pci;

namespace VfioKit.Tests.Pci;

/// <summary>The PCI Express capability's fields, laid out by hand and checked against lspci.</summary>
public class ExpressCapabilityTests
{
    private static ConfigSpace Port(PcieDeviceType type, int version = 2, bool slot = true, uint devCap = 0,
        int capSpeed = 4, int capWidth = 16, int staSpeed = 1, int staWidth = 1, int vector = 0xf, int target = 4, int slotNumber = 0) =>
        new ConfigBuilder(4096, classCode: 0x060400, headerType: 1).Capabilities([(0x40, 0x10)])
            .Express(0x40, version, type, slot, devCap, capSpeed, capWidth, 3, staSpeed, staWidth, vector, target, slotNumber).Build();

    [Fact]
    public void A_gen4_x16_root_port_trained_at_gen1_x1()
    {
        var e = Port(PcieDeviceType.RootPort, slotNumber: 0x1c).Express!;
        Assert.Equal(0x40, e.Offset);
        Assert.Equal(2, e.Version);
        Assert.Equal(PcieDeviceType.RootPort, e.DeviceType);
        Assert.True(e.SlotImplemented);
        Assert.Equal(0x1c, e.SlotNumber);
        Assert.Equal(new PciLink(LinkSpeed.Gen4, 16), e.LinkCapability);
        Assert.Equal(3, e.PortNumber);
        Assert.Equal(new PciLink(LinkSpeed.Gen1, 1), e.LinkStatus);
        Assert.Equal([LinkSpeed.Gen1, LinkSpeed.Gen2, LinkSpeed.Gen3, LinkSpeed.Gen4], e.SupportedSpeeds.ToArray());
        Assert.Equal(LinkSpeed.Gen4, e.MaxSpeed);
        Assert.Equal(LinkSpeed.Gen4, e.TargetSpeed);
        Assert.Equal("Express (v2) Root Port (Slot+)", e.Describe());
        Assert.Equal("16GT/s x16", e.LinkCapability.ToString());
    }

    [Fact]
    public void Flr_and_max_payload_come_from_device_capabilities()
    {
        var e = Port(PcieDeviceType.Endpoint, devCap: (1u << 28) | 2).Express!;
        Assert.True(e.FunctionLevelReset);
        Assert.Equal(512, e.MaxPayloadSupported);
        Assert.False(Port(PcieDeviceType.Endpoint).Express!.FunctionLevelReset);
    }

    [Fact]
    public void Integrated_endpoints_and_event_collectors_have_no_link()
    {
        foreach (var t in new[] { PcieDeviceType.RootComplexIntegratedEndpoint, PcieDeviceType.RootComplexEventCollector })
        {
            var e = Port(t).Express!;
            Assert.Null(e.LinkCapability);
            Assert.Null(e.LinkStatus);
            Assert.Empty(e.SupportedSpeeds);
            Assert.Equal(LinkSpeed.Unknown, e.MaxSpeed);
        }
    }

    [Fact]
    public void Version_1_has_no_link_capabilities_2()
    {
        var e = Port(PcieDeviceType.Endpoint, version: 1).Express!;
        Assert.Empty(e.SupportedSpeeds);
        Assert.Null(e.TargetSpeed);
        Assert.Equal(LinkSpeed.Gen4, e.MaxSpeed); // from Link Capabilities
    }

    [Fact]
    public void Unknown_speeds_and_widths_stay_unknown()
    {
        // The QEMU 7.2 xio3130-downstream port reports Link Capabilities of 0: lspci "Speed unknown, Width x0".
        var e = Port(PcieDeviceType.DownstreamPort, capSpeed: 0, capWidth: 0, staSpeed: 7, staWidth: 0, vector: 0, target: 0).Express!;
        Assert.Equal(PciLink.Unknown, e.LinkCapability);
        Assert.False(e.LinkCapability!.Value.IsKnown);
        Assert.Equal("unknown x0", e.LinkCapability.ToString());
        Assert.False(e.LinkStatus!.Value.Speed.IsKnown);
        Assert.Empty(e.SupportedSpeeds);
        Assert.Equal(LinkSpeed.Unknown, e.TargetSpeed);
    }

    [Fact]
    public void Slot_implemented_counts_only_where_a_slot_can_be()
    {
        Assert.False(Port(PcieDeviceType.Endpoint, slot: true).Express!.SlotImplemented);
        Assert.Null(Port(PcieDeviceType.Endpoint, slot: true, slotNumber: 5).Express!.SlotNumber);
        Assert.True(Port(PcieDeviceType.DownstreamPort, slot: true).Express!.SlotImplemented);
        Assert.Equal("Express (v2) Downstream Port (Slot-)", Port(PcieDeviceType.DownstreamPort, slot: false).Express!.Describe());
    }

    [Fact]
    public void Every_device_type_agrees_with_lspci()
    {
        // All 16 encodings (the reserved ones read "Unknown type N"), each with and without a slot,
        // versions 1 and 2, and a spread of speeds and widths.
        var configs = new List<ConfigSpace>();
        for (var type = 0; type < 16; type++)
            configs.Add(Port((PcieDeviceType)type, version: 1 + (type % 2), slot: type % 3 == 0,
                capSpeed: 1 + (type % 6), capWidth: 1 << (type % 6), staSpeed: 1 + (type % 3), staWidth: type % 5, vector: (1 << (type % 6 + 1)) - 1, target: type % 7));
        Assert.Equal("Unknown type 3", configs[3].Express!.DeviceType.LspciName);
        Assert.False(configs[3].Express!.DeviceType.IsDefinedType);
        LspciOracle.AssertAgrees([.. configs]);
    }

    [Fact]
    public void An_express_capability_cut_off_by_the_read_keeps_what_was_read()
    {
        // Capability at 0xf0 of a 256-byte read: flags and Device Capabilities are there, the link registers are not.
        var b = new ConfigBuilder(256).Capabilities([(0xf0, 0x10)]);
        b.Word(0xf2, (ushort)(2 | ((int)PcieDeviceType.Endpoint << 4))).Dword(0xf4, 1u << 28);
        var e = b.Build().Express!;
        Assert.True(e.FunctionLevelReset);
        Assert.Null(e.LinkCapability);
        Assert.Empty(e.SupportedSpeeds);
    }
}
