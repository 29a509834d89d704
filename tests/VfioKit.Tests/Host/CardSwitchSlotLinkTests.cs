using System.Buffers.Binary;
using System.Text.Json;
using VfioKit.Files;
using VfioKit.Host;
using VfioKit.Pci;
using VfioKit.Tests.Cli;

namespace VfioKit.Tests.Host;

/// <summary>
/// An AMD RDNA card sits behind its own PCI Express switch (upstream port 1002:1478, downstream port 1002:1479), so
/// the GPU function's link is internal to the card. The host below is an RX 9070 XT as its owner reported it
/// (ilya-zlobintsev/LACT issue 593, 2025-05-25): the GPU function 2f:00.0 says LnkCap 32GT/s x16, LnkSta 32GT/s
/// x16, while the slot, read at the card's upstream port, is "16.0 GT/s PCIe x2 (Max: Gen 4 x16)". Config bytes are
/// the real QEMU switch of the committed q35 dump (root port 00:1c.2, x3130 upstream 03:00.0, xio3130 downstream
/// 04:00.0, GPU 05:00.0, audio 05:00.1) with the card's ids and those link registers.
/// </summary>
public sealed class CardSwitchSlotLinkTests : IDisposable
{
    private const string RootPort = "0000:00:01.1";
    private const string Upstream = "0000:2d:00.0";
    private const string Downstream = "0000:2e:00.0";
    private const string Gpu = "0000:2f:00.0";
    private const string Audio = "0000:2f:00.1";

    private static readonly PciLink Gen4x16 = new(LinkSpeed.Gen4, 16);
    private static readonly PciLink Gen4x2 = new(LinkSpeed.Gen4, 2);
    private static readonly PciLink Gen5x16 = new(LinkSpeed.Gen5, 16);

    private readonly SysfsTree _tree = RdnaHost(0x1002, withSwitch: true);
    private readonly List<TempDirectory> _temps = [];

    public void Dispose()
    {
        _tree.Dispose();
        foreach (var t in _temps) t.Dispose();
    }

    /// <summary>The card's functions (and, with <paramref name="withSwitch"/>, its two switch ports) under an AMD GPP root port.</summary>
    private static SysfsTree RdnaHost(int vendor, bool withSwitch)
    {
        var tree = new SysfsTree().ReadyKernel("BOOT_IMAGE=/vmlinuz root=/dev/sda1 amd_iommu=on iommu=pt");
        CopyCpus(tree);
        tree.Add(new SysfsTree.Function(RootPort)
        {
            Vendor = 0x1022, Device = 0x1483, Class = 0x060400, Driver = "pcieport", Group = 2,
            Config = WithLinks(SysfsTree.RealConfig("00:1c.2", 0x1022, 0x1483), Gen4x16, Gen4x2),
        });
        string[] aboveGpu = [RootPort];
        if (withSwitch)
        {
            tree.Add(new SysfsTree.Function(Upstream)
            {
                Vendor = vendor, Device = 0x1478, Class = 0x060400, Driver = "pcieport", Group = 14, Parents = [RootPort],
                Config = WithLinks(SysfsTree.RealConfig("03:00.0", vendor, 0x1478), Gen4x16, Gen4x2),
            });
            tree.Add(new SysfsTree.Function(Downstream)
            {
                Vendor = vendor, Device = 0x1479, Class = 0x060400, Driver = "pcieport", Group = 15, Parents = [RootPort, Upstream],
                Config = WithLinks(SysfsTree.RealConfig("04:00.0", vendor, 0x1479), Gen5x16, Gen5x16),
            });
            aboveGpu = [RootPort, Upstream, Downstream];
        }
        var display = vendor == 0x1002 ? 0x7550 : 0x2684;
        var audio = vendor == 0x1002 ? 0xab40 : 0x22ba;
        tree.Add(new SysfsTree.Function(Gpu)
        {
            Vendor = vendor, Device = display, Class = 0x030000, Driver = "vfio-pci", Group = 16, ResetMethod = "bus", BootVga = "0", Parents = aboveGpu,
            Config = WithLinks(SysfsTree.RealConfig("05:00.0", vendor, display), Gen5x16, Gen5x16),
        });
        tree.Add(new SysfsTree.Function(Audio)
        {
            Vendor = vendor, Device = audio, Class = 0x040300, Driver = "vfio-pci", Group = 16, ResetMethod = "bus", Parents = aboveGpu,
            Config = SysfsTree.RealConfig("05:00.1", vendor, audio),
        });
        return tree;
    }

    /// <summary>The CPU part of a committed QEMU host snapshot, so that `new` can plan vCPUs.</summary>
    private static void CopyCpus(SysfsTree tree)
    {
        var from = Path.Combine(TestPaths.RepoRoot, "tests", "VfioKit.Tests", "Data", "hosts", "q35-gpu-iommu");
        foreach (var file in Directory.EnumerateFiles(Path.Combine(from, "sys", "devices", "system"), "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(from, file);
            if (new FileInfo(file).LinkTarget is { } target) tree.Link(rel, target);
            else tree.WriteBytes(rel, File.ReadAllBytes(file));
        }
        tree.WriteBytes("proc/cpuinfo", File.ReadAllBytes(Path.Combine(from, "proc", "cpuinfo")));
    }

    /// <summary>Sets LnkCap's and LnkSta's speed and width fields in a real config space, keeping every other bit.</summary>
    private static byte[] WithLinks(byte[] config, PciLink cap, PciLink status)
    {
        var express = ConfigSpace.Parse(config).Express!.Offset;
        var lnkCap = BinaryPrimitives.ReadUInt32LittleEndian(config.AsSpan(express + 0x0c));
        lnkCap = (lnkCap & ~0x3ffu) | (uint)cap.Speed.Encoding | (uint)cap.Width << 4;
        BinaryPrimitives.WriteUInt32LittleEndian(config.AsSpan(express + 0x0c), lnkCap);
        var lnkSta = BinaryPrimitives.ReadUInt16LittleEndian(config.AsSpan(express + 0x12));
        lnkSta = (ushort)((lnkSta & ~0x3ff) | status.Speed.Encoding | status.Width << 4);
        BinaryPrimitives.WriteUInt16LittleEndian(config.AsSpan(express + 0x12), lnkSta);
        return config;
    }

    private string Temp(string name, string text)
    {
        var temp = new TempDirectory("vfiokit-slotlink-");
        _temps.Add(temp);
        var path = temp.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void The_gpu_and_its_audio_get_the_slot_link_of_the_cards_upstream_port()
    {
        var host = HostModel.Read(new SysfsRoot(_tree.Root));
        var gpu = host.Function(PciAddress.Parse(Gpu))!;
        Assert.Equal(Gen5x16, gpu.Pcie!.LinkCapability); // what the function itself says: internal to the card
        Assert.Equal([PciAddress.Parse(Downstream), PciAddress.Parse(Upstream), PciAddress.Parse(RootPort)], gpu.Parents);
        Assert.Equal(new SlotLink(PciAddress.Parse(Upstream), Gen4x16, Gen4x2), gpu.SlotLink);
        Assert.Equal(Gen4x16, gpu.HostLink);
        Assert.Equal(Gen4x16, host.Function(PciAddress.Parse(Audio))!.HostLink);
        // verify --host compares the guest's port with the slot's link too, kept with the function's type and FLR.
        Assert.Equal((Gen4x16, Gen4x2, PcieDeviceType.Endpoint), (gpu.SlotPcie!.LinkCapability, gpu.SlotPcie.LinkStatus, gpu.SlotPcie.Type));
        Assert.Null(host.Function(PciAddress.Parse(Upstream))!.SlotLink);
        Assert.Null(host.Function(PciAddress.Parse(RootPort))!.SlotLink);
    }

    [Fact]
    public void One_function_read_alone_has_the_slot_link_the_host_model_gives_it_and_reads_only_the_cards_functions()
    {
        var model = HostModel.Read(new SysfsRoot(_tree.Root));
        foreach (var address in new[] { Gpu, Audio })
        {
            var root = new SysfsRoot(_tree.Root);
            var alone = HostFunctionReader.Read(root, PciAddress.Parse(address), new List<string>())!;
            Assert.Equal(Gen4x16, alone.HostLink);
            Assert.Equal(model.Function(PciAddress.Parse(address))!.SlotLink, alone.SlotLink);
            // The card's switch ports and the function itself; of the board's root port only its vendor.
            Assert.All(root.FilesRead.Keys, f => Assert.True(
                f.StartsWith($"sys/bus/pci/devices/{address}/", StringComparison.Ordinal) || f.StartsWith($"sys/bus/pci/devices/{Upstream}/", StringComparison.Ordinal)
                || f.StartsWith($"sys/bus/pci/devices/{Downstream}/", StringComparison.Ordinal) || f == $"sys/bus/pci/devices/{RootPort}/vendor", f));
            Assert.Empty(root.DirectoriesListed);
        }
        Assert.Null(HostFunctionReader.Read(new SysfsRoot(_tree.Root), PciAddress.Parse("0000:77:00.0"), new List<string>()));
    }

    [Fact]
    public void Host_json_and_text_show_the_slot_link()
    {
        var run = CliRun.Of("host", "--root", _tree.Root, "--json");
        using var doc = JsonDocument.Parse(run.Out);
        var gpu = doc.RootElement.GetProperty("gpus").EnumerateArray().Single();
        var slot = gpu.GetProperty("slotLink");
        Assert.Equal(Upstream, slot.GetProperty("upstreamPort").GetString());
        Assert.Equal(16.0, slot.GetProperty("linkCapability").GetProperty("speedGTs").GetDouble());
        Assert.Equal(16, slot.GetProperty("linkCapability").GetProperty("width").GetInt32());
        Assert.Equal(2, slot.GetProperty("linkStatus").GetProperty("width").GetInt32());
        Assert.Equal(32.0, gpu.GetProperty("hostLink").GetProperty("linkCapability").GetProperty("speedGTs").GetDouble());
        var devices = doc.RootElement.GetProperty("pciDevices").EnumerateArray().ToDictionary(d => d.GetProperty("address").GetString()!);
        Assert.Equal(Upstream, devices[Audio].GetProperty("slotLink").GetProperty("upstreamPort").GetString());
        Assert.Equal(JsonValueKind.Null, devices[Upstream].GetProperty("slotLink").ValueKind);

        var text = CliRun.Of("host", "--root", _tree.Root).Out;
        Assert.Contains($"slot link 16GT/s x16 / 16GT/s x2 at {Upstream}", text);
    }

    [Fact]
    public void New_gives_the_guests_root_port_the_slot_link_not_the_internal_one()
    {
        var run = CliRun.Of("new", "--root", _tree.Root, "--gpu", "0000:2f:00", "--memory", "1G", "--vcpus", "2", "--format", "qemu");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("x-speed=16", run.Out);
        Assert.Contains("x-width=16", run.Out);
        Assert.DoesNotContain("x-speed=32", run.Out);
    }

    [Fact]
    public void Lint_with_host_judges_vk108_against_the_slot_link()
    {
        string Script(int speed) => $"""
            qemu-system-x86_64 -M q35 -cpu host \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0,x-speed={speed},x-width=16 \
              -device vfio-pci,host={Gpu},bus=rp1,addr=0x0,multifunction=on \
              -device vfio-pci,host={Audio},bus=rp1,addr=0x0.1

            """;
        var atSlot = CliRun.Of("lint", "--host", _tree.Root, Temp("gen4.sh", Script(16)));
        Assert.DoesNotContain("VK108", atSlot.Out); // the GPU's own 32GT/s is internal: no false alarm

        var below = CliRun.Of("lint", "--host", _tree.Root, Temp("gen3.sh", Script(8)));
        Assert.Contains("VK108", below.Out);
        Assert.Contains("less than the host link 16GT/s x16", below.Out);
    }

    [Fact]
    public void A_snapshot_keeps_the_switch_and_the_slot_link()
    {
        var temp = new TempDirectory("vfiokit-slotlink-");
        _temps.Add(temp);
        var snap = temp.File("snap");
        Assert.Equal(0, CliRun.Of("snapshot", "--root", _tree.Root, "--output", snap).ExitCode);
        var gpu = HostModel.Read(new SysfsRoot(snap)).Function(PciAddress.Parse(Gpu))!;
        Assert.Equal(new SlotLink(PciAddress.Parse(Upstream), Gen4x16, Gen4x2), gpu.SlotLink);
        Assert.Equal(CliRun.Of("host", "--root", _tree.Root, "--json").Out, CliRun.Of("host", "--root", snap, "--json").Out);
    }

    [Fact]
    public void An_nvidia_card_without_a_switch_keeps_its_own_link()
    {
        using var tree = RdnaHost(0x10de, withSwitch: false);
        var gpu = HostModel.Read(new SysfsRoot(tree.Root)).Function(PciAddress.Parse(Gpu))!;
        Assert.Equal([PciAddress.Parse(RootPort)], gpu.Parents);
        Assert.Null(gpu.SlotLink);
        Assert.Equal(Gen5x16, gpu.HostLink);
        Assert.Contains("x-speed=32", CliRun.Of("new", "--root", tree.Root, "--gpu", "0000:2f:00", "--memory", "1G", "--vcpus", "2", "--format", "qemu").Out);
    }

    [Fact]
    public void A_switch_of_another_vendor_is_the_platforms_and_not_the_cards()
    {
        // An NVIDIA card behind ports that are not the card's (a board or riser switch): its own link stays the host link.
        using var tree = RdnaHost(0x10de, withSwitch: true);
        var gpu = HostModel.Read(new SysfsRoot(tree.Root)).Function(PciAddress.Parse(Gpu))!;
        Assert.Equal(3, gpu.Parents.Count);
        Assert.Null(gpu.SlotLink);
        Assert.Equal(Gen5x16, gpu.HostLink);
    }
}
