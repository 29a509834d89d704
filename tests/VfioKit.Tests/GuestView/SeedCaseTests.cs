using VfioKit.Formats.Qemu;
using VfioKit.GuestView;
using VfioKit.Pci;
using VfioKit.Vm;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Tests.GuestView;

/// <summary>
/// The seed's configurations with the GPU passed through (vfio-pci, host possibly a shell variable),
/// predicted, and compared with a real guest booted with stand-in devices at the same places (no GPU here):
/// each GPU function must be at the address where the guest found the stand-in, with the type the guest
/// saw and the port link capability the guest read. Emulated Endpoints stand in for vfio Endpoints (both
/// become integrated endpoints on pcie.0 and Endpoints behind a port, hw/vfio/pci.c and hw/pci/pcie.c).
/// </summary>
public class SeedCaseTests
{
    private static readonly MachineVersion LabQemu = new(7, 2);

    public static TheoryData<string, string, string[]> Cases() => new()
    {
        // config, real-guest dump directory, ids of the GPU functions (in function order)
        { "qemu/seed-ioh3420.txt", "guests/seed-ioh3420", ["vfio-pci", "vfio-pci"] },
        { "qemu/seed-rootbus.txt", "guests/seed-rootbus", ["gpu", "gpu_audio"] },
        { "qemu/seed-libvirt.args", "qemu/guests/seed-libvirt", ["hostdev0", "hostdev1"] },
        { "qemu/virt-manager.txt", "qemu/guests/virt-manager", ["hostdev0", "hostdev1"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Passed_through_gpu_is_where_and_what_the_real_guest_shows(string config, string guestDir, string[] gpu)
    {
        var view = GuestViewPredictor.Predict(QemuCommandLine.Load(TestPaths.DataFile(config)), LabQemu);
        var guest = LspciDump.Load(TestPaths.DataFile(guestDir, "lspci.txt")).Entries.ToDictionary(e => e.Address);

        Assert.DoesNotContain(view.Problems, p => p.Severity == ProblemSeverity.Error);
        var functions = view.Devices.Where(d => d.Device.IsPassthrough).ToList();
        Assert.Equal(gpu, functions.Select(f => f.Name));
        foreach (var f in functions)
        {
            Assert.NotNull(f.GuestAddress);
            Assert.True(guest.TryGetValue(f.GuestAddress!.Value, out var standIn), $"{config}: the guest has nothing at {f.GuestAddress}");
            var type = standIn!.Config.Express?.DeviceType;
            Assert.Equal(type switch
            {
                PcieDeviceType.Endpoint => GuestDeviceKind.Endpoint,
                PcieDeviceType.RootComplexIntegratedEndpoint => GuestDeviceKind.RootComplexIntegratedEndpoint,
                _ => GuestDeviceKind.ConventionalPci,
            }, f.Sees);
            if (f.PortLink is { } portLink)
            {
                var port = guest[view.Find(f.Path[^2])!.GuestAddress!.Value];
                Assert.Equal(portLink, port.Config.Express!.LinkCapability);
            }
            else
            {
                Assert.Equal(1, f.Path.Count - 1);
            }
        }
        // The whole guest matches too: every device the real guest enumerated is predicted at its address.
        Assert.Equal(guest.Keys.Order(), view.Devices.Where(d => d.GuestAddress is not null).Select(d => d.GuestAddress!.Value).Order());
    }

    [Fact]
    public void Ioh3420_seed_gives_an_endpoint_at_2_5_gts_x1_and_the_root_bus_seed_an_integrated_endpoint()
    {
        var port = GuestViewPredictor.Predict(QemuCommandLine.Load(TestPaths.DataFile("qemu/seed-ioh3420.txt")));
        var gpu = port.Devices.First(d => d.Device.IsPassthrough);
        Assert.Equal("$NVIDIA.0", gpu.Device.Passthrough!.Host.Text);
        Assert.True(gpu.Device.Passthrough.Host.IsSymbolic);
        Assert.Equal((GuestDeviceKind.Endpoint, "0000:01:00.0"), (gpu.Sees, gpu.GuestAddress.ToString()));
        Assert.Equal(new PciLink(LinkSpeed.Gen1, 1), gpu.PortLink);
        Assert.Equal(["pcie.0", "root_port1", "vfio-pci"], gpu.Path);

        var root = GuestViewPredictor.Predict(QemuCommandLine.Load(TestPaths.DataFile("qemu/seed-rootbus.txt")));
        var onRoot = root.Find("gpu")!;
        Assert.Equal((GuestDeviceKind.RootComplexIntegratedEndpoint, (PciLink?)null), (onRoot.Sees, onRoot.Link));
        Assert.Equal("${GPU}.0", onRoot.Device.Passthrough!.Host.Text);
    }
}
