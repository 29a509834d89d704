using VfioKit.Pci;
using VfioKit.Vm;

namespace VfioKit.Tests.Vm;

public class VmModelTests
{
    [Theory]
    [InlineData("0x1c.0x1", 0x1c, 1)]
    [InlineData("1c.1", 0x1c, 1)]
    [InlineData("0x00.1", 0, 1)]
    [InlineData("0x5", 5, 0)]
    [InlineData("1f", 0x1f, 0)]
    public void Guest_addresses_read_qemu_addr(string text, int slot, int function)
    {
        var a = GuestAddress.Parse(text);
        Assert.Equal((slot, function), (a.Slot, a.Function));
        Assert.Equal(a, GuestAddress.Parse(a.ToString()));
        Assert.Equal(a, GuestAddress.FromDevfn(a.Devfn));
    }

    [Theory]
    [InlineData("0x20")]
    [InlineData("0x1.8")]
    [InlineData("x")]
    [InlineData("")]
    [InlineData("1.2.3")]
    public void Bad_guest_addresses_are_rejected(string text) => Assert.False(GuestAddress.TryParse(text, out _));

    [Fact]
    public void Alias_machines_take_the_qemu_version_and_versioned_ones_their_own()
    {
        Assert.Equal(new MachineVersion(7, 2), Machine.Q35.EffectiveVersion(new MachineVersion(7, 2)));
        var old = new Machine(MachineFamily.Q35, new MachineVersion(3, 1), "pc-q35-3.1", ValueList<MachineOption>.Empty);
        Assert.Equal(new MachineVersion(3, 1), old.EffectiveVersion(new MachineVersion(9, 0)));
        Assert.Equal("pcie.0", Machine.Q35.RootBusId);
        Assert.Equal("pci.0", Machine.I440fx.RootBusId);
    }

    [Fact]
    public void Host_sources_are_literal_or_symbolic()
    {
        Assert.Equal(PciAddress.Parse("0000:0b:00.1"), HostSource.FromHost("0b:00.1").Address);
        Assert.True(HostSource.FromHost("$NVIDIA.0").IsSymbolic);
        Assert.Equal(PciAddress.Parse("0000:0b:00.0"), HostSource.FromSysfs("/sys/bus/pci/devices/0000:0b:00.0/").Address);
    }

    [Fact]
    public void Devices_compare_by_value_but_not_by_where_they_were_read()
    {
        var a = new VmDevice { Driver = "e1000e", Id = "n", Properties = new ValueList<DeviceProperty>([new("mac", "x")]), Source = new SourceLocation("a.sh", 3) };
        var b = a with { Properties = new ValueList<DeviceProperty>([new("mac", "x")]), Source = new SourceLocation("b.sh", 9) };
        Assert.Equal(a, b);
        Assert.NotEqual(a, b with { Id = "m" });
    }
}
