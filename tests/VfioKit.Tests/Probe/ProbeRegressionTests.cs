using VfioKit.Formats.Qemu;
using VfioKit.GuestView;
using VfioKit.Probe;

namespace VfioKit.Tests.Probe;

/// <summary>
/// Disagreements the random differential test found, pasted as it prints them (the subtree alone), each
/// fixed in the predictor: the prediction must equal the real guest, or QEMU and the prediction must
/// both refuse.
/// </summary>
public sealed class ProbeRegressionTests
{
    public static TheoryData<string, string[]> Cases => new()
    {
        // bochs-display has a PCIe capability on an express bus (it was taken for conventional PCI).
        {
            "bochs-display behind a switch port",
            ["-machine", "pc-q35-6.2", "-nodefaults", "-device", "pcie-root-port,id=t7rp0,bus=pcie.0,addr=0x1d.0,chassis=10,slot=10",
             "-device", "x3130-upstream,id=t7up,bus=t7rp0,addr=0x0", "-device", "xio3130-downstream,id=t7dp2,bus=t7up,addr=0x12,chassis=11,slot=11",
             "-device", "virtio-net-pci,id=t7d23,bus=t7dp2,addr=0x0,multifunction=on", "-device", "bochs-display,id=t7d24,bus=t7dp2,addr=0x0.2"]
        },
        // i440fx has no MMCONFIG: 256 bytes of config space even behind a PCIe root port.
        {
            "no extended config space on i440fx",
            ["-machine", "pc", "-nodefaults", "-device", "pcie-root-port,id=t0rp0,bus=pci.0,addr=0x10,chassis=1,slot=1",
             "-device", "e1000e,id=t0d0,bus=t0rp0,addr=0x0", "-device", "pci-bridge,id=t1br,bus=pci.0,addr=0x11,chassis_nr=1",
             "-device", "vfio-pci,id=t1d1,host=0000:10:00.0,bus=t1br,addr=0x3"]
        },
        // On q35 before 6.1 a bridge's SHPC refuses slot 0, where QEMU auto-places the first device.
        {
            "SHPC slot 0 on pc-q35-3.1",
            ["-machine", "pc-q35-3.1", "-device", "pci-bridge,id=t0br,bus=pcie.0,addr=0x17,chassis_nr=1",
             "-device", "bochs-display,id=t0d0,bus=t0br,addr=0x11", "-device", "e1000e,id=t0d4,bus=t0br"]
        },
        // A device without bus= goes to the first PCI bus QEMU finds, which can be a pxb-pcie's: refused there.
        {
            "no bus= beside a pxb-pcie",
            ["-machine", "q35", "-nodefaults", "-device", "pxb-pcie,id=t5pxb,bus_nr=32,bus=pcie.0,addr=0x10",
             "-device", "pcie-root-port,id=t5xrp0,bus=t5pxb,addr=0x0,chassis=1,slot=1", "-device", "bochs-display,id=t5d4"]
        },
        // A port whose id is pcie.0 (the corpus's kaist script): bus=pcie.0 finds the root bus first
        // (qbus_find_recursive), the port's own bus stays empty and still takes a bus number; the ports after
        // it were walked as if the root bus hung below it (an invented bus ff:, the vfio-pci "not visible").
        {
            "a port named pcie.0",
            ["-machine", "q35", "-device", "ioh3420,id=pcie.0,chassis=0", "-device", "e1000,bus=pcie.0",
             "-device", "ioh3420,id=pcie.1,chassis=1", "-device", "vfio-pci,host=0000:d8:00.1,bus=pcie.1",
             "-device", "ioh3420,id=pcie.2,chassis=2", "-device", "vfio-pci,host=0000:af:00.1,bus=pcie.2"]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_prediction_equals_the_real_guest(string name, string[] args)
    {
        var topology = QemuCommandLine.FromArgv(args, name);
        var result = await VmProbe.RunAsync(topology, ProbeLab.Setup);
        if (result.Run.Outcome == GuestRunOutcome.Refused)
        {
            Assert.True(result.Prediction.HasErrors, $"{name}: QEMU refused what the prediction accepts: {result.Run.Explain()}");
            return;
        }
        Assert.True(result.Run.Completed, result.Run.Explain());
        Assert.False(result.Prediction.HasErrors, string.Join("\n", result.Prediction.Problems));
        Assert.True(result.Agrees, $"{name}:\n" + string.Join("\n", result.Findings!.Describe()));
        var exact = ProbeComparison.Compare(GuestViewPredictor.Predict(result.Machine.Topology, ProbeLab.Setup.QemuVersion), result.Report!);
        Assert.True(exact.Agrees, $"{name} (stand-in VM):\n" + string.Join("\n", exact.Describe()));
    }
}
