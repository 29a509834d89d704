using VfioKit.Pci;

namespace VfioKit.Tests.Pci;

public class PciAddressTests
{
    [Theory]
    [InlineData("0000:01:00.0", 0, 1, 0, 0)]
    [InlineData("0b:00.1", 0, 0xb, 0, 1)]
    [InlineData("10000:c1:1f.7", 0x10000, 0xc1, 0x1f, 7)]
    [InlineData("100000:c1:1f.7", -1, 0, 0, 0)]
    public void Parses_sysfs_and_lspci_forms(string text, int domain, int bus, int device, int function)
    {
        var ok = PciAddress.TryParse(text, out var a);
        Assert.Equal(domain >= 0, ok);
        if (ok) Assert.Equal(new PciAddress(domain, bus, device, function), a);
    }

    [Theory]
    [InlineData("")]
    [InlineData("01:00")]
    [InlineData("01:20.0")]
    [InlineData("01:00.8")]
    [InlineData("zz:00.0")]
    public void Rejects_what_is_not_an_address(string text) => Assert.False(PciAddress.TryParse(text, out _));

    [Fact]
    public void Prints_the_sysfs_form() => Assert.Equal("0000:0b:1f.3", new PciAddress(0, 0xb, 0x1f, 3).ToString());
}
