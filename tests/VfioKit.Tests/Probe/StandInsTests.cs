using VfioKit.Formats.Qemu;
using VfioKit.Pci;
using VfioKit.Probe;
using VfioKit.Vm;

namespace VfioKit.Tests.Probe;

/// <summary>Which model stands in for vfio-pci where, and what the stand-in VM keeps and drops.</summary>
public sealed class StandInsTests
{
    [Theory]
    [InlineData(BusKind.PcieRoot, true, 0x030000, "bochs-display")]
    [InlineData(BusKind.PcieSlot, true, 0x030000, "bochs-display")]
    [InlineData(BusKind.Conventional, true, 0x030000, "bochs-display")]
    [InlineData(BusKind.PcieSlot, true, 0x040300, "qemu-xhci")]
    [InlineData(BusKind.PcieSlot, true, 0x020000, "e1000e")]
    [InlineData(BusKind.Conventional, true, 0x020000, "virtio-net-pci")]
    [InlineData(BusKind.PcieRoot, true, 0x010802, "nvme")]
    [InlineData(BusKind.Conventional, true, 0x010802, "virtio-blk-pci")]
    [InlineData(BusKind.PciRoot, false, 0x030000, "e1000e")]
    [InlineData(BusKind.Conventional, false, 0x010802, "nvme")]
    public void The_stand_in_depends_on_the_bus_and_the_class(BusKind bus, bool q35, int classCode, string driver) =>
        Assert.Equal(driver, StandIns.Choose(bus, q35, PciClass.FromCode(classCode)).Driver);

    [Fact]
    public void Stand_ins_keep_id_bus_address_and_multifunction_and_backends_become_null_ones()
    {
        var t = QemuCommandLine.Load(TestPaths.DataFile("probe", "gpu-root-port.sh"));
        var m = StandIns.Build(t, _ => null);

        var gpu = m.Topology.FindDevice("gpu")!;
        Assert.Equal("bochs-display", gpu.Driver); // x-vga=on: a display function
        Assert.Equal("gpu_port", gpu.Bus);
        Assert.Equal(new GuestAddress(0, 0), gpu.Address);
        Assert.True(gpu.Multifunction);
        Assert.Equal("qemu-xhci", m.Topology.FindDevice("gpu_audio")!.Driver);
        Assert.Equal(2, m.StandIns.Count);
        Assert.Contains(m.StandIns[0].Limits, l => l.Contains("physical link", StringComparison.Ordinal));

        var args = string.Join(' ', m.Arguments);
        Assert.DoesNotContain("vfio-pci", args);
        Assert.DoesNotContain("/opt/vbios.rom", args);
        Assert.DoesNotContain("accel=kvm", args);
        Assert.Contains("kernel-irqchip=on", args);
        Assert.Contains("-blockdev driver=null-co,node-name=probe-drive", args);
        Assert.DoesNotContain("netdev=", args);
        Assert.Equal(["-machine accel=kvm"], m.Dropped);
    }

    [Fact]
    public void A_numa_node_on_an_expander_gets_guest_numa_nodes()
    {
        var t = QemuCommandLine.FromArgv(["-machine", "q35", "-device", "pxb-pcie,id=pxb,bus_nr=0x80,numa_node=1,bus=pcie.0"]);
        var args = string.Join(' ', StandIns.Build(t).Arguments);
        Assert.Contains("-numa node,nodeid=0,memdev=probe-mem0", args);
        Assert.Contains("-numa node,nodeid=1,memdev=probe-mem1", args);
    }

    [Fact]
    public void The_host_class_is_read_from_sysfs_under_a_root()
    {
        var root = Directory.CreateTempSubdirectory("vfiokit-sysfs-").FullName;
        try
        {
            var dir = Path.Combine(root, "sys", "bus", "pci", "devices", "0000:0b:00.1");
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "class"), "0x040300\n");
            var t = QemuCommandLine.FromArgv(["-machine", "q35", "-device", "vfio-pci,host=0000:0b:00.1,id=a", "-device", "vfio-pci,host=0000:0c:00.0,id=b"]);
            var classOf = HostClasses.FromSysfs(root);
            Assert.Equal(0x040300, classOf(t.FindDevice("a")!)?.Code);
            Assert.Null(classOf(t.FindDevice("b")!));
        }
        finally { Directory.Delete(root, recursive: true); }
    }
    /// <summary>qemu-wxianxin-taskset.sh of the corpus: virtio-blk-pci,iothread=io0 with the user's -object iothread,
    /// which the stand-in VM does not carry; QEMU refuses a device naming an iothread it does not have.</summary>
    [Fact]
    public void A_device_naming_an_iothread_gets_a_null_one_of_its_own()
    {
        var t = QemuCommandLine.Parse("qemu-system-x86_64 -M q35 -object iothread,id=io0 -drive if=none,id=d0,file=/x.img -device virtio-blk-pci,drive=d0,iothread=io0", "vm.sh");
        var m = StandIns.Build(t, _ => null);
        var blk = m.Topology.Devices.Single(d => d.Driver == "virtio-blk-pci");
        var thread = blk.Properties.Single(p => p.Key == "iothread").Value;
        var at = m.Arguments.ToList().IndexOf($"iothread,id={thread}");
        Assert.True(at > 0 && m.Arguments[at - 1] == "-object", $"no -object iothread,id={thread} in {string.Join(' ', m.Arguments)}");
    }

    /// <summary>qemu-spaghetti-run-soundhw.sh of the corpus: the card -soundhw makes is in the stand-in VM, made by the
    /// machine as QEMU made it (-audio none,model=, QEMU 7.1+), so the devices after it keep their predicted slots.</summary>
    [Theory]
    [InlineData("-soundhw ac97", "none,model=ac97", "AC97")]
    [InlineData("-soundhw hda", "none,model=hda", "intel-hda")]
    [InlineData("-audio pa,model=es1370", "none,model=es1370", "ES1370")]
    public void A_sound_card_of_the_machine_is_written_back_as_an_audio_model(string option, string written, string card)
    {
        var t = QemuCommandLine.Parse($"qemu-system-x86_64 {option} -device e1000,id=n1", "vm.sh");
        var argv = QemuCommandLine.ToArgv(StandIns.Build(t, _ => null).Topology).ToList();
        var at = argv.IndexOf("-audio");
        Assert.True(at >= 0 && argv[at + 1] == written, string.Join(' ', argv));
        Assert.Equal([card], QemuCommandLine.FromArgv(argv).Defaults.SoundCards);
    }
}
