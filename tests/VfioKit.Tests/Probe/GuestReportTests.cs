using VfioKit.Pci;
using VfioKit.Probe;

namespace VfioKit.Tests.Probe;

/// <summary>Reading what the guest printed: od's folded dumps, kernel noise, reports cut short.</summary>
public sealed class GuestReportTests
{
    private const string Sample = """
        [    0.000000] Linux version 6.1.0
        @vfiokit-begin 1 6.1.0-56-amd64
        @dev 0000:00:1c.0 0x1b36 0x000c 0x060400
        @attr current_link_speed 16.0 GT/s PCIe
        @attr max_link_width 32
        @config
        000000 36 1b 0c 00 07 05 10 00 00 00 04 06 00 00 81 00
        000010 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
        *
        000100 01 00 02 00 00 00 00 00 00 00 00 00 00 00 00 00
        [    1.234567] some kernel message in the middle
        000110 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
        *
        001000
        @dev 0000:00:1f.0 0x8086 0x2918 0x060100
        @config
        000000 86 80 18 29 03 01 00 00 02 00 01 06 00 00 80 00
        000010 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
        *
        000100
        @vfiokit-end
        """;

    [Fact]
    public void Folded_od_dumps_unfold_to_the_whole_config_space()
    {
        var report = GuestReport.Parse(Sample);
        Assert.True(report.IsComplete);
        Assert.Equal("6.1.0-56-amd64", report.KernelRelease);
        Assert.Equal(2, report.Functions.Length);

        var port = report.Find(PciAddress.Parse("0000:00:1c.0"))!;
        Assert.Equal(4096, port.ConfigBytes.Length);
        Assert.Equal(0x060400, port.ClassCode);
        Assert.Equal("16.0 GT/s PCIe", port.Attribute("current_link_speed"));
        Assert.Equal("32", port.Attribute("max_link_width"));
        Assert.Equal(0x01, port.ConfigBytes[0x100]);
        Assert.Equal(0x02, port.ConfigBytes[0x102]);
        Assert.All(port.ConfigBytes.Skip(0x110), b => Assert.Equal(0, b));
        Assert.Equal(0x1b36, port.Config!.VendorId);
        Assert.True(port.Config.IsBridge);

        Assert.Equal(256, report.Functions[1].ConfigBytes.Length);
    }

    [Fact]
    public void A_report_cut_short_keeps_whole_functions_and_says_it_is_incomplete()
    {
        var cut = Sample[..Sample.IndexOf("000010 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n*\n000100\n@vfiokit-end", StringComparison.Ordinal)];
        var report = GuestReport.Parse(cut);
        Assert.False(report.IsComplete);
        Assert.Single(report.Functions);
    }

    [Fact]
    public void Console_output_without_a_report_is_an_empty_incomplete_report()
    {
        var report = GuestReport.Parse("[    0.0] Kernel panic - not syncing\n");
        Assert.False(report.IsComplete);
        Assert.Empty(report.Functions);
    }

    [Theory]
    [InlineData("@vfiokit-begin 9 6.1\n")]
    [InlineData("@vfiokit-begin 1 6.1\n@dev nonsense\n")]
    public void A_malformed_report_line_is_a_format_error(string text) =>
        Assert.Throws<FormatException>(() => GuestReport.Parse(text));
}
