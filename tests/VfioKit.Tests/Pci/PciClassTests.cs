using VfioKit.Pci;

namespace VfioKit.Tests.Pci;

public class PciClassTests
{
    [Theory]
    [InlineData("0x030000", "VGA compatible controller")]
    [InlineData("0x030200", "3D controller")]
    [InlineData("0x040300", "Audio device")]
    [InlineData("0x0c0330", "USB controller")]
    [InlineData("0x0c8000", "Serial bus controller")]
    [InlineData("0x060400", "PCI bridge")]
    [InlineData("0x060000", "Host bridge")]
    [InlineData("0x010802", "Non-Volatile memory controller")]
    [InlineData("0x0c0999", "Serial bus controller")] // subclass unknown: the base class's name
    [InlineData("0x770000", "Class 7700")]
    public void Names_the_common_classes_as_lspci(string sysfs, string name)
    {
        var c = PciClass.Parse(sysfs);
        Assert.Equal(name, c.Name);
        Assert.Equal(sysfs, c.ToString());
    }

    [Fact]
    public void Says_what_a_gpu_slot_is_made_of()
    {
        Assert.True(PciClass.Parse("0x030000").IsDisplay);
        Assert.True(PciClass.Parse("0x038000").IsDisplay);
        Assert.False(PciClass.Parse("0x038000").IsVga);
        Assert.True(PciClass.Parse("0x040300").IsHdAudio);
        Assert.True(PciClass.Parse("0x0c0330").IsUsb);
        Assert.True(PciClass.Parse("0x0c8000").IsSerialBus);
        Assert.True(PciClass.Parse("0x060400").IsPciBridge && PciClass.Parse("0x060400").IsBridge);
        Assert.True(PciClass.Parse("060000").IsHostBridge);
        Assert.Equal(0x0c03, PciClass.Parse("0x0c0330").BaseAndSub);
        Assert.Equal(0x30, PciClass.Parse("0x0c0330").ProgIf);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("0x1000000")]
    [InlineData("vga")]
    public void Rejects_what_is_not_a_class_code(string text)
    {
        Assert.False(PciClass.TryParse(text, out _));
        Assert.Throws<FormatException>(() => PciClass.Parse(text));
    }
}
