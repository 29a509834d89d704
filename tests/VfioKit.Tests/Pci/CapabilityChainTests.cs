using VfioKit.Pci;

namespace VfioKit.Tests.Pci;

/// <summary>Capability lists that are broken on purpose: the decoder keeps what came before the fault,
/// says how the walk ended, and (where lspci defines the case) agrees with lspci.</summary>
public class CapabilityChainTests
{
    private static readonly (int, byte)[] Three = [(0x40, 0x01), (0x50, 0x05), (0x60, 0x11)];

    [Fact]
    public void A_looping_list_stops_at_the_first_repeat_as_lspci_does()
    {
        var config = new ConfigBuilder(256).Capabilities(Three, lastNext: 0x50).Build();
        Assert.Equal(ChainEnd.Looped, config.CapabilityChainEnd);
        Assert.Equal(["Power Management", "MSI", "MSI-X"], config.Capabilities.Select(c => c.Name));
        Assert.Contains("<chain looped>", LspciOracle.CapabilityLines(config));
        LspciOracle.AssertAgrees(config);
    }

    [Fact]
    public void A_list_that_points_to_itself_ends()
    {
        var config = new ConfigBuilder(256).Capabilities([(0x40, 0x10)], lastNext: 0x40).Build();
        Assert.Equal(ChainEnd.Looped, config.CapabilityChainEnd);
        Assert.Single(config.Capabilities);
    }

    [Fact]
    public void An_all_ones_entry_is_a_broken_list_as_lspci_says()
    {
        var config = new ConfigBuilder(256).Capabilities([(0x40, 0x01), (0x50, 0xff)]).Build();
        Assert.Equal(ChainEnd.Broken, config.CapabilityChainEnd);
        Assert.Equal([0x40], config.Capabilities.Select(c => c.Offset));
        Assert.Contains("<chain broken>", LspciOracle.CapabilityLines(config));
        LspciOracle.AssertAgrees(config);
    }

    [Theory]
    [InlineData(0x04)]
    [InlineData(0x10)]
    [InlineData(0x3c)]
    public void A_pointer_into_the_header_ends_the_list(int pointer)
    {
        // lspci would decode the header bytes as a capability; the spec puts capabilities at 0x40 and up.
        var config = new ConfigBuilder(256).Capabilities([(0x40, 0x05)], lastNext: pointer).Build();
        Assert.Equal(ChainEnd.PointerIntoHeader, config.CapabilityChainEnd);
        Assert.Equal(["MSI"], config.Capabilities.Select(c => c.Name));

        var first = new ConfigBuilder(256).Capabilities([], lastNext: pointer).Build();
        Assert.Equal(ChainEnd.PointerIntoHeader, first.CapabilityChainEnd);
        Assert.Empty(first.Capabilities);
    }

    [Fact]
    public void Pointer_bits_1_0_are_ignored_as_the_spec_says()
    {
        var b = new ConfigBuilder(256).Capabilities([(0x40, 0x01), (0x48, 0x05)]);
        b.Byte(0x34, 0x43).Byte(0x41, 0x4b);
        Assert.Equal([0x40, 0x48], b.Build().Capabilities.Select(c => c.Offset));
        LspciOracle.AssertAgrees(b.Build());
    }

    [Fact]
    public void A_64_byte_read_has_no_capabilities_and_says_it_was_cut_short()
    {
        // What a non-root reader of sysfs gets: the list pointer is there, the list is not.
        var full = new ConfigBuilder(4096).Capabilities([(0x40, 0x10), (0x80, 0x11)])
            .Express(0x40, 2, PcieDeviceType.Endpoint, capSpeed: 4, capWidth: 16, staSpeed: 4, staWidth: 16)
            .Extended([(0x100, 0x01, 2)]).Build();
        var cut = ConfigSpace.Parse(full.Bytes[..64]);
        Assert.Equal(64, cut.Length);
        Assert.Equal(ChainEnd.Truncated, cut.CapabilityChainEnd);
        Assert.Empty(cut.Capabilities);
        Assert.Empty(cut.ExtendedCapabilities);
        Assert.Null(cut.Express);
        Assert.Equal(full.VendorId, cut.VendorId);
        Assert.Equal(full.Class, cut.Class);
        LspciOracle.AssertAgrees(cut, full);
    }

    [Fact]
    public void A_partial_read_keeps_the_capabilities_it_holds()
    {
        var full = new ConfigBuilder(256).Capabilities([(0x40, 0x01), (0x48, 0x05), (0xa0, 0x11)]).Build();
        var cut = ConfigSpace.Parse(full.Bytes[..0x80]);
        Assert.Equal(ChainEnd.Truncated, cut.CapabilityChainEnd);
        Assert.Equal(["Power Management", "MSI"], cut.Capabilities.Select(c => c.Name));
        LspciOracle.AssertAgrees(cut);
    }

    [Fact]
    public void No_list_without_the_status_bit()
    {
        var b = new ConfigBuilder(256).Capabilities(Three);
        b.Word(0x06, 0);
        var config = b.Build();
        Assert.False(config.HasCapabilityList);
        Assert.Empty(config.Capabilities);
        Assert.Equal(ChainEnd.Complete, config.CapabilityChainEnd);
        LspciOracle.AssertAgrees(config);
    }

    [Fact]
    public void A_looping_extended_list_stops_as_lspci_does()
    {
        var config = new ConfigBuilder().Capabilities([(0x40, 0x10)]).Express(0x40, 2, PcieDeviceType.Endpoint)
            .Extended([(0x100, 0x01, 2), (0x200, 0x0d, 1), (0x300, 0x0e, 1)], lastNext: 0x200).Build();
        Assert.Equal(ChainEnd.Looped, config.ExtendedCapabilityChainEnd);
        Assert.Equal([0x100, 0x200, 0x300], config.ExtendedCapabilities.Select(c => c.Offset));
        Assert.Contains("<chain looped>", LspciOracle.CapabilityLines(config));
        LspciOracle.AssertAgrees(config);
    }

    [Fact]
    public void An_extended_pointer_below_0x100_ends_the_list()
    {
        var config = new ConfigBuilder().Capabilities([(0x40, 0x10)]).Express(0x40, 2, PcieDeviceType.Endpoint)
            .Extended([(0x100, 0x01, 2)], lastNext: 0x40).Build();
        Assert.Equal(ChainEnd.PointerIntoHeader, config.ExtendedCapabilityChainEnd);
        Assert.Single(config.ExtendedCapabilities);
    }

    [Fact]
    public void An_all_ones_extended_entry_is_broken_but_all_ones_at_0x100_is_no_list()
    {
        var broken = new ConfigBuilder().Capabilities([(0x40, 0x10)]).Express(0x40, 2, PcieDeviceType.Endpoint)
            .Extended([(0x100, 0x01, 2)], lastNext: 0x200).Dword(0x200, 0xffffffff).Build();
        Assert.Equal(ChainEnd.Broken, broken.ExtendedCapabilityChainEnd);
        Assert.Single(broken.ExtendedCapabilities);

        var none = new ConfigBuilder().Capabilities([(0x40, 0x10)]).Express(0x40, 2, PcieDeviceType.Endpoint)
            .Dword(0x100, 0xffffffff).Build();
        Assert.Equal(ChainEnd.Complete, none.ExtendedCapabilityChainEnd);
        Assert.Empty(none.ExtendedCapabilities);
        LspciOracle.AssertAgrees(broken, none);
    }

    [Fact]
    public void A_conventional_function_has_no_extended_list_even_with_bytes_at_0x100()
    {
        // As lspci: only PCI Express and PCI-X functions have extended space.
        var config = new ConfigBuilder().Capabilities([(0x40, 0x01)]).Extended([(0x100, 0x01, 2)]).Build();
        Assert.Empty(config.ExtendedCapabilities);
        var pciX = new ConfigBuilder().Capabilities([(0x40, 0x07)]).Extended([(0x100, 0x01, 2)]).Build();
        Assert.Equal(["Advanced Error Reporting"], pciX.ExtendedCapabilities.Select(c => c.Name));
        LspciOracle.AssertAgrees(config, pciX);
    }

    [Fact]
    public void A_256_byte_read_of_an_express_function_has_no_extended_list()
    {
        var full = new ConfigBuilder().Capabilities([(0x40, 0x10)]).Express(0x40, 2, PcieDeviceType.Endpoint)
            .Extended([(0x100, 0x01, 2)]).Build();
        var cut = ConfigSpace.Parse(full.Bytes[..256]);
        Assert.False(cut.HasExtendedSpace);
        Assert.Empty(cut.ExtendedCapabilities);
        Assert.NotNull(cut.Express);
        LspciOracle.AssertAgrees(cut);
    }
}
