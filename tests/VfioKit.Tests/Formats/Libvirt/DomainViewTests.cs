using VfioKit.Formats.Libvirt;
using VfioKit.Pci;
using VfioKit.Vm;
using VfioKit.Behaviour.Libvirt;

namespace VfioKit.Tests.Formats.Libvirt;

/// <summary>Every typed view reads what the XML says (as lint will use it), leniently.</summary>
public class DomainViewTests
{
    private static DomainXml Tuned() => DomainXml.Load(TestPaths.DataFile("libvirt", "passthrough", "tuned-windows.xml"));

    [Fact]
    public void Os_cpu_features_tuning_and_memory_are_read()
    {
        var d = Tuned();
        Assert.Equal("win11-tuned", d.Name);
        Assert.Equal("pc-q35-7.2", d.Machine);
        Assert.True(d.Os!.IsUefi);
        Assert.Equal(8, d.Vcpus);
        Assert.Equal("host-passthrough", d.Cpu!.Mode);
        Assert.Equal((1, 1, 4, 2), (d.Cpu.Sockets, d.Cpu.Dies, d.Cpu.Cores, d.Cpu.Threads));
        Assert.Equal([("require", "topoext")], d.Cpu.Features);
        Assert.Equal("passthrough", d.Cpu.CacheMode);
        Assert.Equal(["relaxed", "vapic", "spinlocks", "vendor_id"], d.Features!.HypervFeatures.Select(h => h.Name));
        Assert.Equal("8191", d.Features.HypervFeatures.Single(h => h.Name == "spinlocks").Value);
        Assert.Equal("whatever", d.Features.HypervVendorId);
        Assert.Equal("on", d.Features.KvmHidden);
        Assert.Equal("kvm", d.Features.IoapicDriver);
        Assert.Equal([(0, "2"), (1, "10")], d.Cputune!.VcpuPins.Select(p => ((int)p.Vcpu!, p.Cpuset)));
        Assert.Equal("0,8", d.Cputune.EmulatorPin);
        Assert.Equal([(1, "1,9")], d.Cputune.IothreadPins.Select(p => ((int)p.Iothread!, p.Cpuset)));
        Assert.True(d.MemoryBacking!.Hugepages && d.MemoryBacking.Locked);
        Assert.Equal([("1", "G", "0")], d.MemoryBacking.Pages);
        Assert.Equal(("memfd", "shared", "immediate"), (d.MemoryBacking.SourceType, d.MemoryBacking.AccessMode, d.MemoryBacking.AllocationMode));
        Assert.Equal(64L * 1024 * 1024, d.Shmems.Single().SizeBytes);
        Assert.Equal("ivshmem-plain", d.Shmems.Single().ModelType);
        Assert.Equal(["-global", "pcie-root-port.x-speed=16"], d.QemuCommandline!.Args.Select(a => a.Value));
        Assert.Equal([("QEMU_AUDIO_DRV", "pa")], d.QemuCommandline.Env);
    }

    [Fact]
    public void Controllers_and_hostdevs_are_read()
    {
        var d = Tuned();
        var port = d.PciControllers.Single(c => c.Index == 1);
        Assert.Equal(("pcie-root-port", 1, 0x10, "off"), (port.Model, port.Chassis, port.Port, port.Hotplug));
        Assert.Equal((0, 2, 0, "on"), (port.Address!.Bus, port.Address.Slot, port.Address.Function, port.Address.Multifunction));
        var pxb = d.PciControllers.Single(c => c.Index == 2);
        Assert.Equal((254, 0), (pxb.BusNr, pxb.NumaNode));
        var gpu = d.Hostdevs.Single();
        Assert.True(gpu.IsPci);
        Assert.Equal(new PciAddress(0, 0x0b, 0, 0), gpu.Source);
        Assert.Equal(("yes", "vfio", "on", "/var/lib/libvirt/vbios/gpu.rom"), (gpu.Managed, gpu.DriverName, gpu.RomBar, gpu.RomFile));
        Assert.Equal(1, gpu.Address!.Bus);
        Assert.NotNull(gpu.Line);
    }

    [Fact]
    public void The_vm_model_gets_ports_expanders_and_passthrough_settings()
    {
        var t = LibvirtTopology.Load(TestPaths.DataFile("libvirt", "passthrough", "tuned-windows.xml"));
        var port = t.FindDevice("pci.1")!;
        Assert.Equal("pcie-root-port", port.Driver);
        Assert.Equal(new PortSettings(Chassis: 1, Port: 0x10, Hotplug: false), port.Port);
        Assert.Equal(new ExpanderSettings(254, 0), t.FindDevice("pci.2")!.Expander);
        var gpu = t.FindDevice("hostdev0")!;
        Assert.Equal("vfio-pci", gpu.Driver);
        Assert.Equal(new PciAddress(0, 0x0b, 0, 0), gpu.HostAddress);
        Assert.Equal(("/var/lib/libvirt/vbios/gpu.rom", true), (gpu.Passthrough!.RomFile, gpu.Passthrough.RomBar));
        Assert.Equal(new DevicePlacement("pci.1", new GuestAddress(0, 0), AddressOrigin.Explicit), gpu.Placement);
        Assert.True(gpu.Multifunction);
        Assert.Equal(58, gpu.Source!.Line); // the <hostdev> line
        // The pxb had no address: libvirt 9.0 puts it in the first free slot of pcie.0 after the chipset and ports.
        Assert.Equal(AddressOrigin.Assumed, t.FindDevice("pci.2")!.Placement!.Origin);
        Assert.Equal(new GuestAddress(1, 0), t.FindDevice("pci.2")!.Placement!.Address);
    }

    [Theory]
    [InlineData("0x1f", 31)]
    [InlineData("31", 31)]
    [InlineData("010", 8)]
    [InlineData("0", 0)]
    public void Numbers_are_read_as_libvirt_reads_them(string text, int value) => Assert.Equal(value, LibvirtNumber.ParseOrNull(text));

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("09")]
    [InlineData("-1")]
    [InlineData("ten")]
    public void Unreadable_numbers_read_as_absent(string text) => Assert.Null(LibvirtNumber.ParseOrNull(text));

    [Fact]
    public void Odd_values_read_back_as_written()
    {
        var d = DomainXml.Parse("<domain><devices><hostdev mode='subsystem' type='pci' managed='foo'><rom bar='maybe'/></hostdev></devices></domain>");
        Assert.Equal("foo", d.Hostdevs.Single().Managed);
        Assert.Equal("maybe", d.Hostdevs.Single().RomBar);
        Assert.Null(d.Hostdevs.Single().Source);
    }
}
