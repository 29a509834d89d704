using VfioKit.Files;
using VfioKit.Host;
using VfioKit.Pci;

namespace VfioKit.Tests.Host;

/// <summary>Host traps a user must be told about: a GPU that fell off the bus, reset methods the kernel does
/// not report, AMD cards vendor-reset knows.</summary>
public class HostTrapTests
{
    private static SysfsTree AmdGpu(byte[]? displayConfig, string? reset)
    {
        var tree = new SysfsTree().ReadyKernel();
        tree.Add(new SysfsTree.Function("0000:04:00.0") { Vendor = 0x1b36, Device = 0x000e, Class = 0x060400, Config = SysfsTree.RealConfig("04:00.0"), Driver = "pcieport", Group = 7 });
        tree.Add(new SysfsTree.Function("0000:05:00.0")
        {
            Vendor = 0x1002, Device = 0x73bf, Class = 0x030000, Config = displayConfig ?? SysfsTree.RealConfig("05:00.0", 0x1002, 0x73bf),
            Driver = "vfio-pci", Group = 7, ResetMethod = reset, BootVga = "0",
        });
        tree.Add(new SysfsTree.Function("0000:05:00.1")
        {
            Vendor = 0x1002, Device = 0xab28, Class = 0x040300, Config = SysfsTree.RealConfig("05:00.1", 0x1002, 0xab28),
            Driver = "vfio-pci", Group = 7, ResetMethod = reset,
        });
        return tree;
    }

    [Fact]
    public void A_gpu_whose_config_space_reads_all_ff_is_warned_about_as_fallen_off_the_bus()
    {
        // sysfs keeps the ids the kernel read at boot; the config space of a device that fell off reads 0xff everywhere.
        using var tree = AmdGpu(Enumerable.Repeat((byte)0xff, 256).ToArray(), "flr bus");
        var gpu = Assert.Single(HostModel.Read(new SysfsRoot(tree.Root)).Gpus);
        Assert.True(gpu.Display.FellOffBus);
        Assert.Contains(gpu.Warnings, w => w.StartsWith("0000:05:00.0: config space reads all 0xff, the device fell off the bus", StringComparison.Ordinal));
    }

    [Fact]
    public void A_healthy_gpu_is_not_taken_for_fallen_off()
    {
        using var tree = AmdGpu(null, "flr bus");
        var gpu = Assert.Single(HostModel.Read(new SysfsRoot(tree.Root)).Gpus);
        Assert.False(gpu.Display.FellOffBus);
        Assert.DoesNotContain(gpu.Warnings, w => w.Contains("fell off", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, "unknown")]
    [InlineData("bus", "bus")]
    [InlineData("pm bus", "pm bus")]
    public void Reset_methods_are_unknown_when_the_kernel_does_not_say_and_never_none(string? resetMethod, string shown)
    {
        var f = new PciFunction { Address = PciAddress.Parse("0000:05:00.0"), ResetMethods = resetMethod?.Split(' ') };
        Assert.Equal(shown, GpuFinder.Resets(f));
    }

    /// <summary>Every id of vendor-reset's device table (gnif/vendor-reset src/device-db.h, commit ca6a270) is flagged.</summary>
    [Fact]
    public void Every_id_vendor_reset_handles_is_flagged()
    {
        int[] ids =
        [
            0x67C0, 0x67C1, 0x67C2, 0x67C4, 0x67C7, 0x67D0, 0x67DF, 0x67C8, 0x67C9, 0x67CA, 0x67CC, 0x67CF, 0x6FDF,
            0x67E0, 0x67E3, 0x67E8, 0x67EB, 0x67EF, 0x67FF, 0x67E1, 0x67E7, 0x67E9,
            0x6980, 0x6981, 0x6985, 0x6986, 0x6987, 0x6995, 0x6997, 0x699F,
            0x6860, 0x6861, 0x6862, 0x6863, 0x6864, 0x6867, 0x6868, 0x6869, 0x686A, 0x686B, 0x686C, 0x686D, 0x686E, 0x686F, 0x687F,
            0x66A0, 0x66A1, 0x66A2, 0x66A3, 0x66A4, 0x66A7, 0x66AF,
            0x7310, 0x7312, 0x7318, 0x7319, 0x731A, 0x731B, 0x731E, 0x731F, 0x1681,
            0x7340, 0x7341, 0x7347, 0x734F,
            0x7360, 0x7362,
            0x738C,
        ];
        Assert.Empty(ids.Where(id => AmdResetBug.Family(AmdResetBug.AmdVendorId, id) is null).Select(id => id.ToString("x4", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("Arcturus", AmdResetBug.Family(AmdResetBug.AmdVendorId, 0x738C));
        Assert.Null(AmdResetBug.Family(AmdResetBug.AmdVendorId, 0x73BF)); // Navi 21 resets without it
    }
}
