using CsCheck;
using VfioKit.Host.Cpu;

namespace VfioKit.Tests.Host.Cpu;

public sealed class CpuListTests
{
    [Theory]
    [InlineData("0-3,8-11\n", "0-3,8-11", 8)]
    [InlineData("5", "5", 1)]
    [InlineData("", "", 0)]
    [InlineData(" 3,1,2 ,7", "1-3,7", 4)]
    [InlineData("0-15:2/4", "0-1,4-5,8-9,12-13", 8)]
    public void Parses_the_kernels_list_form(string text, string formatted, int count)
    {
        var list = CpuList.Parse(text);
        Assert.Equal(formatted, list.ToString());
        Assert.Equal(count, list.Count);
    }

    [Theory]
    [InlineData("3-1")]
    [InlineData("a")]
    [InlineData("1,,2")]
    [InlineData("-1")]
    [InlineData("0-3:5/4")]
    public void Rejects_what_is_not_a_list(string text) => Assert.False(CpuList.TryParse(text, out _));

    [Theory]
    [InlineData("00000000,003f0000,0000003f", "0-5,48-53")]
    [InlineData("ff", "0-7")]
    [InlineData("00000000,00000000", "")]
    public void Parses_hex_masks_as_in_cpumap(string mask, string list)
    {
        Assert.True(CpuList.TryParseMask(mask, out var l));
        Assert.Equal(list, l.ToString());
    }

    [Fact]
    public void Formatting_then_parsing_gives_the_same_set()
    {
        Gen.Int[0, 300].HashSet[0, 60].Sample(set =>
        {
            var list = CpuList.Of(set);
            var back = CpuList.Parse(list.ToString());
            Assert.Equal(list, back);
            Assert.Equal(set.Order(), back);
        });
    }
}
