using VfioKit.Pci;

namespace VfioKit.Tests.Pci;

/// <summary>The Resizable BAR capability as a GPU lays it out, checked against lspci's "BAR n: current size" lines.</summary>
public class ResizableBarTests
{
    /// <summary>A GPU-like function with Resizable BAR at 0x200: entries of (bar, current size code,
    /// supported-sizes bits 31:4, extended-sizes bits 31:16); <paramref name="count"/> goes in entry 0.</summary>
    private static ConfigSpace Gpu((int Bar, int Current, uint Sizes, uint Ext)[] bars, int? count = null)
    {
        var b = new ConfigBuilder().Capabilities([(0x60, 0x10)]).Express(0x60, 2, PcieDeviceType.Endpoint, capSpeed: 4, capWidth: 16, staSpeed: 4, staWidth: 16)
            .Extended([(0x100, 0x01, 2), (0x200, 0x15, 1), (0x300, 0x19, 1)]);
        for (var i = 0; i < bars.Length; i++)
        {
            var (bar, current, sizes, ext) = bars[i];
            var n = i == 0 ? count ?? bars.Length : 0;
            b.Dword(0x204 + (8 * i), sizes << 4).Dword(0x208 + (8 * i), (uint)(bar | (n << 5) | (current << 8)) | (ext << 16));
        }
        return b.Build();
    }

    [Fact]
    public void A_gpu_with_a_small_and_a_resizable_vram_bar()
    {
        // BAR 0 fixed at 16 MB; BAR 1 at 256 MB, resizable 256 MB .. 32 GB (bits 8..15), BAR 3 with extended sizes.
        var config = Gpu([(0, 4, 1u << 4, 0), (1, 8, 0xff00u, 0), (3, 28, 0, 0x3)]);
        var bars = config.ResizableBars;
        Assert.Equal([0, 1, 3], bars.Select(b => b.BarIndex));
        Assert.Equal(256UL << 20, bars[1].CurrentBytes);
        Assert.Equal(32UL << 30, bars[1].LargestBytes);
        Assert.Equal("BAR 1: current size: 256MB, supported: 256MB 512MB 1GB 2GB 4GB 8GB 16GB 32GB", bars[1].ToString());
        Assert.Equal("BAR 3: current size: 256TB, supported: 256TB 512TB", bars[2].ToString());
        Assert.Equal("Physical Resizable BAR", config.Find(ExtendedCapabilityId.ResizableBar)!.Name);
        LspciOracle.AssertAgrees(config);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void A_bar_count_outside_1_to_6_gives_no_entries_as_lspci(int count)
    {
        var config = Gpu([(1, 8, 0xff00u, 0)], count);
        Assert.Empty(config.ResizableBars);
        LspciOracle.AssertAgrees(config);
    }

    [Fact]
    public void No_capability_no_bars() =>
        Assert.Empty(new ConfigBuilder().Capabilities([(0x40, 0x10)]).Express(0x40, 2, PcieDeviceType.Endpoint).Build().ResizableBars);

    [Theory]
    [InlineData(0, "1MB")]
    [InlineData(9, "512MB")]
    [InlineData(10, "1GB")]
    [InlineData(43, "8EB")]
    [InlineData(44, "<unknown>")]
    public void Sizes_read_as_lspci_writes_them(int code, string text) => Assert.Equal(text, ResizableBar.SizeText(code));
}
