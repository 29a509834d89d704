using CsCheck;
using VfioKit.Host;

namespace VfioKit.Tests.Host;

public class PciIdsTests
{
    private const string Sample = """
        # comment
        10de  NVIDIA Corporation
        	2204  GA102 [GeForce RTX 3090]
        		1043 87b5  ROG Strix
        	1aef  GA102 High Definition Audio Controller
        1002  Advanced Micro Devices, Inc. [AMD/ATI]
        	73bf  Navi 21 [Radeon RX 6800/6800 XT / 6900 XT]
        8086  Intel Corporation
        	2204  not NVIDIA's
        C 03  Display controller
        	00  VGA compatible controller
        """;

    private static readonly (int, int)[] Wanted = [(0x10de, 0x2204), (0x10de, 0x1aef), (0x1002, 0x73bf), (0x1002, 0x0001)];

    [Fact]
    public void Finds_vendor_and_device_names_under_the_right_vendor()
    {
        var names = PciIds.Lookup(System.Text.Encoding.UTF8.GetBytes(Sample.Replace("\r", "")), Wanted);
        Assert.Equal("NVIDIA Corporation", names.Vendor(0x10de));
        Assert.Equal("GA102 [GeForce RTX 3090]", names.Device(0x10de, 0x2204));
        Assert.Equal("Navi 21 [Radeon RX 6800/6800 XT / 6900 XT]", names.Device(0x1002, 0x73bf));
        Assert.Null(names.Device(0x1002, 0x0001));
        Assert.Null(names.Vendor(0x8086));
    }

    [Fact]
    public void Chunk_boundaries_anywhere_give_the_same_names()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(Sample.Replace("\r", ""));
        var whole = PciIds.Lookup(bytes, Wanted);
        Gen.Int[1, bytes.Length].Array[1, 8].Sample(cuts =>
        {
            var scanner = new PciIdsScanner(Wanted);
            var at = 0;
            foreach (var cut in cuts.Order())
            {
                if (cut <= at) continue;
                scanner.Feed(bytes.AsSpan(at, cut - at));
                at = cut;
            }
            scanner.Feed(bytes.AsSpan(at));
            var names = scanner.Finish();
            foreach (var (v, d) in Wanted)
            {
                Assert.Equal(whole.Vendor(v), names.Vendor(v));
                Assert.Equal(whole.Device(v, d), names.Device(v, d));
            }
        }, iter: 200);
    }
}
