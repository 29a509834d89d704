using VfioKit.Formats.Qemu;
using VfioKit.GuestView;

namespace VfioKit.Tests.GuestView;

/// <summary>Emulated models that add a PCIe capability on an express bus only (hw/net/vmxnet3.c vmxnet3_pci_realize:
/// pcie_endpoint_cap_init when pci_bus_is_express), as the probe saw them on the corpus's OSX-KVM script.</summary>
public class HybridDeviceTests
{
    [Fact]
    public void A_vmxnet3_is_integrated_on_pcie_0_an_endpoint_behind_a_port_and_conventional_on_i440fx()
    {
        var q35 = GuestViewPredictor.Predict(QemuCommandLine.FromArgv(
            "-M q35 -device vmxnet3,id=n0 -device pcie-root-port,id=rp,chassis=1 -device vmxnet3,id=n1,bus=rp".Split(' ')));
        Assert.Equal(GuestDeviceKind.RootComplexIntegratedEndpoint, q35.Find("n0")!.Sees);
        Assert.Equal(GuestDeviceKind.Endpoint, q35.Find("n1")!.Sees);
        var pc = GuestViewPredictor.Predict(QemuCommandLine.FromArgv("-M pc -device vmxnet3,id=n0".Split(' ')));
        Assert.Equal(GuestDeviceKind.ConventionalPci, pc.Find("n0")!.Sees);
    }
}
