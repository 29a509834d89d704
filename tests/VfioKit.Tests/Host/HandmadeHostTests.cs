using VfioKit.Host;
using VfioKit.Pci;
using VfioKit.Files;

namespace VfioKit.Tests.Host;

/// <summary>
/// Hosts QEMU cannot produce (a GPU bound to nvidia without FLR, a group shared with another endpoint, AMD
/// reset-bug ids), built as sysfs trees whose config spaces are a real QEMU guest's (virtio-vga and
/// ich9-intel-hda behind a switch port, from the decoder's q35 dump) with the ids replaced.
/// </summary>
public class HandmadeHostTests
{
    private const int Nvidia = 0x10de, Amd = 0x1002;

    private static SysfsTree GpuHost(int vendor, int display, int audio, string? driver, string? reset, int group = 7, int otherGroup = 7, bool withSmbus = false)
    {
        var tree = new SysfsTree().ReadyKernel();
        tree.Add(new SysfsTree.Function("0000:04:00.0") { Vendor = 0x1b36, Device = 0x000e, Class = 0x060400, Config = SysfsTree.RealConfig("04:00.0"), Driver = "pcieport", Group = group });
        tree.Add(new SysfsTree.Function("0000:05:00.0")
        {
            Vendor = vendor, Device = display, Class = 0x030000, Config = SysfsTree.RealConfig("05:00.0", vendor, display),
            Driver = driver, Group = group, NumaNode = "1", ResetMethod = reset, BootVga = "0",
        });
        tree.Add(new SysfsTree.Function("0000:05:00.1")
        {
            Vendor = vendor, Device = audio, Class = 0x040300, Config = SysfsTree.RealConfig("05:00.1", vendor, audio),
            Driver = "snd_hda_intel", Group = group, NumaNode = "1", ResetMethod = reset,
        });
        if (withSmbus)
            tree.Add(new SysfsTree.Function("0000:00:1f.3") { Vendor = 0x8086, Device = 0x2930, Class = 0x0c0500, Config = SysfsTree.RealConfig("00:1f.3"), Driver = "i801_smbus", Group = otherGroup });
        return tree;
    }

    [Fact]
    public void Nvidia_gpu_without_flr_is_found_with_its_audio_and_warned_about()
    {
        using var tree = GpuHost(Nvidia, 0x2204, 0x1aef, "nvidia", "bus");
        var host = HostModel.Read(new SysfsRoot(tree.Root));

        var gpu = Assert.Single(host.Gpus);
        Assert.Equal(PciSlot.Parse("0000:05:00"), gpu.Slot);
        Assert.Equal(["0000:05:00.0", "0000:05:00.1"], gpu.Functions.Select(f => f.Function.Address.ToString()));
        Assert.Equal([FunctionRole.Display, FunctionRole.HdmiAudio], gpu.Functions.Select(f => f.Role));
        Assert.Equal(DriverState.Nvidia, gpu.Driver);
        Assert.Equal(1, gpu.NumaNode);
        // The switch port in the same group stays with the host: the group is viable.
        Assert.Equal(Viability.Viable, gpu.Viability.Verdict);
        Assert.Equal([7], gpu.Viability.Groups);
        Assert.Contains(gpu.Warnings, w => w.Contains("no FLR on 0000:05:00.0") && w.Contains("resets: bus"));
        Assert.Contains(gpu.Warnings, w => w.Contains("bound to nvidia"));
        Assert.Null(gpu.AmdResetBugFamily);
        Assert.Equal("0000:05:00.0 (10de:2204)", $"{gpu.Display.Address} ({gpu.Display.VendorId:x4}:{gpu.Display.DeviceId:x4})");
    }

    [Fact]
    public void Gpu_with_flr_bound_to_vfio_has_no_warnings()
    {
        using var tree = GpuHost(Nvidia, 0x2204, 0x1aef, "vfio-pci", "flr bus");
        var gpu = Assert.Single(HostModel.Read(new SysfsRoot(tree.Root)).Gpus);
        Assert.Equal(DriverState.VfioPci, gpu.Driver);
        Assert.Empty(gpu.Warnings);
    }

    [Fact]
    public void The_pcie_facts_of_a_gpu_come_from_its_real_config_space()
    {
        using var tree = GpuHost(Nvidia, 0x2204, 0x1aef, "vfio-pci", "flr");
        var host = HostModel.Read(new SysfsRoot(tree.Root));
        var display = host.Function(PciAddress.Parse("0000:05:00.0"))!;
        var port = host.Function(PciAddress.Parse("0000:04:00.0"))!;
        // What lspci -vv says of the same bytes (tests/VfioKit.Tests/Pci/Dumps, checked there against lspci -F).
        var expected = LspciDump.Load(Path.Combine(TestPaths.RepoRoot, "tests", "VfioKit.Tests", "Pci", "Dumps", "qemu-q35.txt"))
            .Entries.Single(e => e.Address == PciAddress.Parse("05:00.0")).Config.Express!;
        Assert.Equal(PcieSource.ConfigSpace, display.Pcie!.Source);
        Assert.Equal(expected.DeviceType, display.Pcie.Type);
        Assert.Equal(PcieDeviceType.Endpoint, display.Pcie.Type);
        Assert.Equal(expected.LinkCapability, display.Pcie.LinkCapability);
        Assert.Equal(PcieDeviceType.DownstreamPort, port.Pcie!.Type);
        Assert.True(port.IsBridge);
        Assert.Equal(4096, display.ConfigBytes);
    }

    [Fact]
    public void Extended_config_space_is_read_only_for_pci_express_functions()
    {
        // Each config byte read costs the kernel a config cycle; lspci reads the extended space only for
        // PCI Express functions, and so does the host model. Both files hold 4096 bytes here.
        using var tree = GpuHost(Nvidia, 0x2204, 0x1aef, "vfio-pci", "flr", withSmbus: true);
        var smbus = SysfsTree.RealConfig("00:1f.3");
        var root = new SysfsRoot(tree.Root);
        var host = HostModel.Read(root);
        Assert.Equal(4096, host.Function(PciAddress.Parse("0000:05:00.0"))!.ConfigBytes);
        var expected = (smbus[6] & 0x10) != 0 ? 256 : 64; // capability list bit of the status register
        Assert.Equal(expected, host.Function(PciAddress.Parse("0000:00:1f.3"))!.ConfigBytes);
        Assert.Equal(expected, root.FilesRead["sys/bus/pci/devices/0000:00:1f.3/config"]!.Length);
    }

    [Fact]
    public void A_group_shared_with_another_endpoint_is_not_viable_and_names_it()
    {
        using var tree = GpuHost(Nvidia, 0x2204, 0x1aef, "vfio-pci", "flr", withSmbus: true);
        var host = HostModel.Read(new SysfsRoot(tree.Root));
        var gpu = Assert.Single(host.Gpus);
        Assert.Equal(Viability.NotViable, gpu.Viability.Verdict);
        Assert.Equal([PciAddress.Parse("0000:00:1f.3")], gpu.Viability.MustGoAlong);
        Assert.Contains("0000:00:1f.3", gpu.Viability.Explanation);
        Assert.StartsWith("not viable", gpu.Viability.Explanation);
        Assert.Equal(CheckStatus.Fail, host.Readiness.Single(c => c.Id == "gpu").Status);
    }

    [Fact]
    public void An_endpoint_in_another_group_does_not_spoil_viability()
    {
        using var tree = GpuHost(Nvidia, 0x2204, 0x1aef, "vfio-pci", "flr", group: 7, otherGroup: 8, withSmbus: true);
        var host = HostModel.Read(new SysfsRoot(tree.Root));
        Assert.Equal(Viability.Viable, Assert.Single(host.Gpus).Viability.Verdict);
        Assert.Equal(CheckStatus.Pass, host.Readiness.Single(c => c.Id == "gpu").Status);
    }

    [Theory]
    [InlineData(0x67df, "Polaris 10")]  // RX 470/480/570/580
    [InlineData(0x687f, "Vega 10")]     // RX Vega 56/64
    [InlineData(0x731f, "Navi 10")]     // RX 5700
    [InlineData(0x7340, "Navi 14")]     // RX 5500
    [InlineData(0x73bf, null)]          // Navi 21 (RX 6800/6900) resets properly
    [InlineData(0x744c, null)]          // Navi 31 (RX 7900)
    public void Amd_families_with_the_reset_bug_are_warned_about(int device, string? family)
    {
        using var tree = GpuHost(Amd, device, 0xaaf0, "amdgpu", "flr bus");
        var gpu = Assert.Single(HostModel.Read(new SysfsRoot(tree.Root)).Gpus);
        Assert.Equal(family, gpu.AmdResetBugFamily);
        Assert.Equal(family is not null, gpu.Warnings.Any(w => w.Contains("reset bug")));
        Assert.Equal(DriverState.Amdgpu, gpu.Driver);
    }

    [Fact]
    public void The_boot_gpu_is_marked()
    {
        using var tree = GpuHost(Nvidia, 0x2204, 0x1aef, "vfio-pci", "flr");
        tree.Write("sys/devices/pci0000:00/0000:05:00.0/boot_vga", "1");
        var host = HostModel.Read(new SysfsRoot(tree.Root));
        var gpu = Assert.Single(host.Gpus);
        Assert.True(gpu.BootVga);
        Assert.Contains(gpu.Warnings, w => w.StartsWith("boot GPU"));
        Assert.Equal(CheckStatus.Warn, host.Readiness.Single(c => c.Id == "gpu").Status);
    }

    [Fact]
    public void A_ready_kernel_passes_the_kernel_checks()
    {
        using var tree = GpuHost(Nvidia, 0x2204, 0x1aef, "vfio-pci", "flr");
        var checks = HostModel.Read(new SysfsRoot(tree.Root)).Readiness.ToDictionary(c => c.Id);
        Assert.Equal(CheckStatus.Pass, checks["iommu"].Status);
        Assert.Contains("intel_iommu=on", checks["iommu"].Detail);
        Assert.Equal(CheckStatus.Pass, checks["vfio"].Status);
        Assert.Equal(CheckStatus.Pass, checks["kvm"].Status);
        Assert.Equal(CheckStatus.Pass, checks["hugepages"].Status);
        Assert.Contains("8 x 1G", checks["hugepages"].Detail);
    }

    [Fact]
    public void Without_iommu_groups_the_host_fails_with_the_fix()
    {
        using var tree = new SysfsTree();
        tree.Write("proc/cmdline", "root=/dev/sda1 quiet").Write("proc/modules", "kvm_amd 1 0 - Live 0x0");
        tree.Add(new SysfsTree.Function("0000:05:00.0") { Vendor = Amd, Device = 0x73bf, Class = 0x030000, Config = SysfsTree.RealConfig("05:00.0", Amd, 0x73bf), Driver = "amdgpu" });
        var host = HostModel.Read(new SysfsRoot(tree.Root));
        var iommu = host.Readiness.Single(c => c.Id == "iommu");
        Assert.Equal(CheckStatus.Fail, iommu.Status);
        Assert.Contains("intel_iommu=on", iommu.Fix);
        Assert.Equal(CheckStatus.Warn, host.Readiness.Single(c => c.Id == "vfio").Status);
        Assert.Equal(CheckStatus.Pass, host.Readiness.Single(c => c.Id == "kvm").Status);
        Assert.Equal(Viability.Unknown, Assert.Single(host.Gpus).Viability.Verdict);
        Assert.True(host.HasFailedCheck);
    }

    [Fact]
    public void Kvm_without_hardware_virtualization_pvm_is_a_warning_naming_what_it_lacks()
    {
        using var tree = new SysfsTree();
        tree.Write("proc/cmdline", "root=/dev/sda1").Write("proc/modules", "kvm_pvm 1 0 - Live 0x0\nkvm 1 1 kvm_pvm, Live 0x0");
        var kvm = HostModel.Read(new SysfsRoot(tree.Root)).Readiness.Single(c => c.Id == "kvm");
        Assert.Equal(CheckStatus.Warn, kvm.Status);
        Assert.Contains("kvm_pvm loaded", kvm.Detail);
        Assert.Contains("smm=on", kvm.Detail);
        Assert.Contains("kvm_intel or kvm_amd", kvm.Fix);
    }

    [Fact]
    public void Iommu_asked_for_on_the_command_line_but_absent_points_at_the_firmware()
    {
        using var tree = new SysfsTree();
        tree.Write("proc/cmdline", "root=/dev/sda1 intel_iommu=on");
        var iommu = HostModel.Read(new SysfsRoot(tree.Root)).Readiness.Single(c => c.Id == "iommu");
        Assert.Equal(CheckStatus.Fail, iommu.Status);
        Assert.Contains("firmware", iommu.Fix);
    }

    [Fact]
    public void As_non_root_only_64_bytes_of_config_are_read_and_the_link_comes_from_sysfs()
    {
        using var tree = new SysfsTree().ReadyKernel();
        tree.Add(new SysfsTree.Function("0000:01:00.0")
        {
            Vendor = Nvidia, Device = 0x2204, Class = 0x030000, Config = SysfsTree.RealConfig("05:00.0", Nvidia, 0x2204)[..64],
            Group = 1, MaxLinkSpeed = "16.0 GT/s PCIe", MaxLinkWidth = "16",
        });
        var f = HostModel.Read(new SysfsRoot(tree.Root)).PciFunctions.Single();
        Assert.Equal(64, f.ConfigBytes);
        Assert.Equal(PcieSource.Sysfs, f.Pcie!.Source);
        Assert.Null(f.Pcie.Type);
        Assert.Equal(new PciLink(LinkSpeed.Gen4, 16), f.Pcie.LinkCapability);
        Assert.Null(f.NumaNode); // numa_node -1: unknown
    }

    [Fact]
    public void Companions_are_named_usb_and_ucsi()
    {
        using var tree = new SysfsTree().ReadyKernel();
        tree.Add(new SysfsTree.Function("0000:01:00.0") { Vendor = Nvidia, Device = 0x1e87, Class = 0x030000, Group = 3, ResetMethod = "flr" });
        tree.Add(new SysfsTree.Function("0000:01:00.1") { Vendor = Nvidia, Device = 0x10f8, Class = 0x040300, Group = 3, ResetMethod = "flr" });
        tree.Add(new SysfsTree.Function("0000:01:00.2") { Vendor = Nvidia, Device = 0x1ad8, Class = 0x0c0330, Group = 3, ResetMethod = "flr" });
        tree.Add(new SysfsTree.Function("0000:01:00.3") { Vendor = Nvidia, Device = 0x1ad9, Class = 0x0c8000, Group = 3, ResetMethod = "flr" });
        var gpu = Assert.Single(HostModel.Read(new SysfsRoot(tree.Root)).Gpus);
        Assert.Equal([FunctionRole.Display, FunctionRole.HdmiAudio, FunctionRole.Usb, FunctionRole.Ucsi], gpu.Functions.Select(f => f.Role));
        Assert.Equal(Viability.Viable, gpu.Viability.Verdict);
    }
}
