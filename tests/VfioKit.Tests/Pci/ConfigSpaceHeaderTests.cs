using VfioKit.Pci;

namespace VfioKit.Tests.Pci;

/// <summary>The header fields, on the real guest dumps where they exist and synthetic bytes where not.</summary>
public class ConfigSpaceHeaderTests
{
    private static LspciDumpEntry Guest(string address) =>
        LspciDump.Load(Path.Combine(TestPaths.RepoRoot, "tests", "VfioKit.Tests", "Pci", "Dumps", "qemu-q35.txt"))
            .Entries.Single(e => e.Address == PciAddress.Parse(address));

    [Fact]
    public void The_gpu_like_slot_is_a_multifunction_vga_plus_audio()
    {
        var vga = Guest("05:00.0").Config;
        var audio = Guest("05:00.1").Config;
        Assert.True(vga.IsMultifunction);
        Assert.True(vga.Class.IsVga && vga.Class.IsDisplay);
        Assert.Equal("VGA compatible controller", vga.Class.Name);
        Assert.True(audio.Class.IsHdAudio);
        Assert.Equal((ushort)0x1af4, vga.VendorId);
        Assert.Equal((ushort)0x1050, vga.DeviceId);
        Assert.Equal((ushort?)0x1af4, vga.SubsystemVendorId);
        Assert.Equal(PcieDeviceType.Endpoint, vga.Express!.DeviceType);
        Assert.True(vga.HasMsiX && vga.HasVendorSpecific && vga.HasPowerManagement);
        Assert.False(audio.IsPciExpress); // behind a switch downstream port, the ich9 HDA stays conventional
    }

    [Fact]
    public void Bridges_carry_their_bus_numbers_and_subsystem_capability()
    {
        var rp = Guest("00:1c.2").Config;
        Assert.True(rp.IsBridge);
        Assert.Equal(1, rp.HeaderType);
        Assert.Equal(new BridgeBuses(0, 3, 5), rp.Buses);
        Assert.Equal((ushort?)0x1b36, rp.SubsystemVendorId); // from the Subsystem capability at 0x40
        Assert.True(rp.Class.IsPciBridge);
        Assert.Null(Guest("05:00.0").Config.Buses);
    }

    [Fact]
    public void A_cardbus_header_has_its_list_pointer_at_0x14()
    {
        var b = new ConfigBuilder(256, classCode: 0x060700, headerType: 2).Capabilities([(0x80, 0x01)]);
        b.Byte(0x34, 0).Byte(0x14, 0x80).Word(0x40, 0x1234).Word(0x42, 0x5678).Byte(0x18, 1).Byte(0x19, 2).Byte(0x1a, 3);
        var c = b.Build();
        Assert.Equal(["Power Management"], c.Capabilities.Select(x => x.Name));
        Assert.Equal((ushort?)0x1234, c.SubsystemVendorId);
        Assert.Equal((ushort?)0x5678, c.SubsystemId);
        Assert.Equal(new BridgeBuses(1, 2, 3), c.Buses);
        LspciOracle.AssertAgrees(c);
    }

    [Fact]
    public void An_absent_function_reads_all_ones()
    {
        var c = ConfigSpace.Parse(Enumerable.Repeat((byte)0xff, 256).ToArray());
        Assert.True(c.IsAbsent);
        Assert.Equal(0x7f, c.HeaderType);
        Assert.Empty(c.Capabilities);
        Assert.Null(c.SubsystemVendorId);
    }

    [Fact]
    public void Registers_outside_the_read_bytes_are_refused_clearly()
    {
        var c = ConfigSpace.Parse(new byte[64]);
        Assert.True(c.Has(60, 4));
        Assert.False(c.Has(62, 4));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => c.Dword(0x100));
        Assert.Contains("64 bytes", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(4097)]
    public void A_wrong_length_is_a_FormatException(int length)
    {
        var e = Assert.Throws<FormatException>(() => ConfigSpace.Parse(new byte[length]));
        Assert.Contains(length.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
        Assert.False(ConfigSpace.TryParse(new byte[length], out _));
    }
}
