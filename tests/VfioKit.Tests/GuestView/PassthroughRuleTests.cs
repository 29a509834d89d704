using VfioKit.Formats.Qemu;
using VfioKit.GuestView;
using VfioKit.Pci;
using VfioKit.Vm;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Tests.GuestView;

/// <summary>
/// hw/vfio/pci.c vfio_setup_pcie_cap and hw/pci/pcie.c pcie_sync_bridge_lnk for the cases no machine
/// here can show (there is no GPU to pass through): what becomes of the host function's PCIe capability
/// on each kind of bus, and how the port's link status follows it.
/// </summary>
public class PassthroughRuleTests
{
    private static readonly PciLink HostGen3X16 = new(LinkSpeed.Gen3, 16);

    private static GuestDevice Gpu(string commandLine, PcieDeviceType type = PcieDeviceType.Endpoint, PciLink? link = null, string qemu = "10.1")
    {
        var view = GuestViewPredictor.Predict(QemuCommandLine.FromArgv(commandLine.Split(' ')), MachineVersion.Parse(qemu),
            _ => new HostFunction(type, link ?? HostGen3X16));
        return view.Find("gpu")!;
    }

    [Fact]
    public void Behind_a_generic_root_port_the_host_link_passes_and_the_port_mirrors_it()
    {
        var gpu = Gpu("-M q35 -device pcie-root-port,id=rp,chassis=1 -device vfio-pci,host=01:00.0,id=gpu,bus=rp");
        Assert.Equal((GuestDeviceKind.Endpoint, HostGen3X16), (gpu.Sees, gpu.Link));
        Assert.Equal(new PciLink(LinkSpeed.Gen4, 32), gpu.PortLink);
        Assert.Equal(HostGen3X16, gpu.PortLinkStatus);
        Assert.True(gpu.ExtendedConfigSpace);
    }

    [Fact]
    public void Behind_an_ioh3420_the_port_status_is_clamped_to_2_5_gts_x1()
    {
        var gpu = Gpu("-M q35 -device ioh3420,id=rp,chassis=1 -device vfio-pci,host=01:00.0,id=gpu,bus=rp");
        Assert.Equal(HostGen3X16, gpu.Link);
        Assert.Equal(PortLinks.Gen1X1, gpu.PortLink);
        Assert.Equal(PortLinks.Gen1X1, gpu.PortLinkStatus);
    }

    [Fact]
    public void On_the_root_bus_an_endpoint_becomes_integrated_and_loses_its_link()
    {
        var gpu = Gpu("-M q35 -device vfio-pci,host=01:00.0,id=gpu,bus=pcie.0,addr=0x5");
        Assert.Equal((GuestDeviceKind.RootComplexIntegratedEndpoint, (PciLink?)null), (gpu.Sees, gpu.Link));
        var legacy = Gpu("-M q35 -device vfio-pci,host=01:00.0,id=gpu,bus=pcie.0,addr=0x5", PcieDeviceType.LegacyEndpoint);
        Assert.Equal(GuestDeviceKind.ConventionalPci, legacy.Sees);
    }

    [Fact]
    public void An_integrated_endpoint_behind_a_port_becomes_an_endpoint_at_2_5_gts_x1()
    {
        var gpu = Gpu("-M q35 -device pcie-root-port,id=rp,chassis=1 -device vfio-pci,host=00:02.0,id=gpu,bus=rp",
            PcieDeviceType.RootComplexIntegratedEndpoint, new PciLink(LinkSpeed.Unknown, 0));
        Assert.Equal((GuestDeviceKind.Endpoint, PortLinks.Gen1X1), (gpu.Sees, gpu.Link));
    }

    [Fact]
    public void On_a_conventional_bus_of_q35_the_capability_is_hidden_and_on_i440fx_kept_without_extended_space()
    {
        var q35 = Gpu("-M q35 -device pcie-pci-bridge,id=br -device vfio-pci,host=01:00.0,id=gpu,bus=br,addr=0x1");
        Assert.Equal((GuestDeviceKind.ConventionalPci, false), (q35.Sees, q35.ExtendedConfigSpace));
        var pc = Gpu("-M pc -device vfio-pci,host=01:00.0,id=gpu,addr=0x5");
        Assert.Equal((GuestDeviceKind.Endpoint, HostGen3X16, false), (pc.Sees, pc.Link, pc.ExtendedConfigSpace));
        var pcBridge = Gpu("-M pc -device pci-bridge,id=br,chassis_nr=1 -device vfio-pci,host=01:00.0,id=gpu,bus=br,addr=0x1");
        Assert.Equal(GuestDeviceKind.Endpoint, pcBridge.Sees);
    }

    [Fact]
    public void Without_host_information_an_endpoint_is_assumed_and_the_link_left_open()
    {
        var view = GuestViewPredictor.Predict(QemuCommandLine.FromArgv(
            "-M q35 -device pcie-root-port,id=rp,chassis=1,x-speed=8,x-width=16 -device vfio-pci,host=$GPU.0,id=gpu,bus=rp".Split(' ')));
        var gpu = view.Find("gpu")!;
        Assert.Equal((GuestDeviceKind.Endpoint, (PciLink?)null, (PciLink?)null), (gpu.Sees, gpu.Link, gpu.PortLinkStatus));
        Assert.Equal(new PciLink(LinkSpeed.Gen3, 16), gpu.PortLink);
        Assert.Contains("Endpoint", gpu.Note);
    }

    [Theory]
    [InlineData("-M q35 -global pcie-root-port.x-speed=5 -device pcie-root-port,id=rp,chassis=1", "10.1", 2, 32)]
    [InlineData("-M pc-q35-3.1 -device pcie-root-port,id=rp,chassis=1", "10.1", 1, 1)]
    [InlineData("-M pc-q35-3.1 -device pcie-root-port,id=rp,chassis=1,x-speed=16", "10.1", 4, 1)]
    [InlineData("-M q35 -device pcie-root-port,id=rp,chassis=1", "3.1", 1, 1)]
    [InlineData("-M q35 -device pcie-root-port,id=rp,chassis=1,x-speed=32,x-width=16", "9.0", 5, 16)]
    public void Root_port_link_follows_property_global_machine_compat_and_qemu(string commandLine, string qemu, int speed, int width)
    {
        var view = GuestViewPredictor.Predict(QemuCommandLine.FromArgv(commandLine.Split(' ')), MachineVersion.Parse(qemu));
        Assert.Equal(new PciLink(new LinkSpeed(speed), width), view.Find("rp")!.Link);
        Assert.Empty(view.Problems);
    }

    [Fact]
    public void Link_speeds_qemu_does_not_have_yet_are_errors()
    {
        var view = GuestViewPredictor.Predict(QemuCommandLine.FromArgv(
            "-M q35 -device pcie-root-port,id=rp,chassis=1,x-speed=32".Split(' ')), MachineVersion.Parse("8.2"));
        Assert.Contains(view.Problems, p => p.Severity == ProblemSeverity.Error && p.Message.Contains("x-speed"));
    }

    [Fact]
    public void A_second_device_behind_a_port_and_a_function_without_function_0_are_warned_about()
    {
        var view = GuestViewPredictor.Predict(QemuCommandLine.FromArgv(
            "-M q35 -device pcie-root-port,id=rp,chassis=1 -device e1000e,id=a,bus=rp -device e1000e,id=b,bus=rp -device e1000,id=c,addr=0x7.0x3".Split(' ')));
        Assert.Equal(GuestDeviceKind.NotVisible, view.Find("b")!.Sees);
        Assert.Null(view.Find("c")!.GuestAddress);
        Assert.Contains(view.Problems, p => p.Device == "b" && p.Severity == ProblemSeverity.Warning && p.Message.Contains("slot 0"));
        Assert.Contains(view.Problems, p => p.Device == "c" && p.Severity == ProblemSeverity.Warning && p.Message.Contains("function 0"));
    }
}
