using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using VfioKit.Formats.Qemu;
using VfioKit.GuestView;
using VfioKit.Pci;
using VfioKit.Tests.Cli;
using VfioKit.Tests.Lab;
using Xunit.Abstractions;

namespace VfioKit.Tests.KubeVirt;

/// <summary>
/// `vfiokit kubevirt-hook` (and the same binary run as `onDefineDomain`, as KubeVirt's sidecar-shim runs it) on
/// domain XML from KubeVirt's own converter test data (Data/KubeVirt/SOURCES.tsv): the GPU and its audio function,
/// which libvirt would put behind a root port each, come out behind one port, and a real libvirtd defines the result.
/// </summary>
[Collection(LibvirtdCollection.Name)]
public class KubeVirtHookTests(LibvirtdFixture libvirtd, ITestOutputHelper output)
{
    private static string Sample(string name) => File.ReadAllText(TestPaths.DataFile("KubeVirt", name));

    /// <summary>The hook with the host's /sys at <paramref name="root"/>; an empty directory by default, a host with no
    /// PCI devices (whatever this machine has), where the port keeps its default link.</summary>
    private static CliRun Hook(string domain, string? root = null)
    {
        using var empty = new TempDirectory("vfiokit-nohost-");
        return CliRun.Of("kubevirt-hook", "--vmi", Sample("vmi-gpu-audio.json"), "--domain", domain, "--root", root ?? empty.Path);
    }

    /// <summary>A real sysfs snapshot (a q35 guest under QEMU, Data/hosts/q35-gpu-iommu.qemu.args): virtio-vga at 01:00.0
    /// with its ich9-intel-hda at 01:00.1, behind a pcie-root-port.</summary>
    private static string SnapshotHost => TestPaths.DataFile("hosts", "q35-gpu-iommu");

    [SkippableTheory]
    [MemberData(nameof(VirtTypes.Both), MemberType = typeof(VirtTypes))]
    public void The_hooked_domain_is_defined_by_libvirtd_with_every_gpu_function_an_endpoint_behind_one_port(string virtType)
    {
        var path = libvirtd.Under(virtType, output);
        var input = Sample("domain_x86_64-gpu-audio.xml");

        var run = Hook(input);

        output.WriteLine(run.Error);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("VK103 fixed", run.Error, StringComparison.Ordinal);
        // No host link to read (no PCI devices under --root): the port keeps its default, and stderr says why.
        Assert.Contains("pcie-root-port index 1: host link of 0000:0b:00.0 unknown (no sys/bus/pci/devices/0000:0b:00.0 under ", run.Error, StringComparison.Ordinal);
        Assert.Contains("default link kept", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("override", run.Out, StringComparison.Ordinal);
        // Stdout is the domain and nothing else: one XML document, from <domain to </domain>.
        Assert.StartsWith("<domain ", run.Out, StringComparison.Ordinal);
        Assert.EndsWith("</domain>\n", run.Out, StringComparison.Ordinal);
        Assert.Equal("domain", XDocument.Parse(run.Out).Root!.Name.LocalName);
        // Nothing but the new port and the two guest addresses: KubeVirt's Hyper-V, CPU and clock stay as written.
        var inputLines = input.Split('\n').ToHashSet();
        var added = run.Out.Split('\n').Where(l => !inputLines.Contains(l)).ToList();
        Assert.Equal(3, added.Count);
        Assert.Single(added, l => l.Trim().StartsWith("<controller type=\"pci\" index=\"1\" model=\"pcie-root-port\"", StringComparison.Ordinal));
        Assert.Single(added, l => l.Contains("<address type=\"pci\" domain=\"0x0000\" bus=\"0x01\" slot=\"0x00\" function=\"0x0\" multifunction=\"on\"", StringComparison.Ordinal));
        Assert.Single(added, l => l.Contains("<address type=\"pci\" domain=\"0x0000\" bus=\"0x01\" slot=\"0x00\" function=\"0x1\"", StringComparison.Ordinal));
        Assert.Equal(input, string.Join('\n', run.Out.Split('\n').Where(l => !added.Contains(l))));

        using var temp = new TempDirectory("vfiokit-kubevirt-");
        var before = Functions(path, temp, "before.xml", input);
        var after = Functions(path, temp, "after.xml", run.Out);

        // As KubeVirt wrote it, libvirt puts the GPU and its audio behind a root port each (VK103)...
        Assert.Equal(2, before.Count);
        Assert.NotEqual(before[0].Device.Placement!.Bus, before[1].Device.Placement!.Bus);
        // ...hooked, both are endpoints behind one port, in one slot, at their host function numbers.
        Assert.Equal(2, after.Count);
        Assert.All(after, g =>
        {
            Assert.Equal(GuestDeviceKind.Endpoint, g.Sees);
            Assert.NotNull(g.PortLink);
            Assert.Equal(g.Device.HostAddress!.Value.Function, g.Device.Placement!.Address.Function);
        });
        Assert.Single(after.Select(g => (g.Device.Placement!.Bus, g.Device.Placement.Address.Slot)).Distinct());
    }

    [SkippableTheory]
    [MemberData(nameof(VirtTypes.Both), MemberType = typeof(VirtTypes))]
    public void The_added_port_advertises_the_host_link_of_the_gpu_and_libvirtd_passes_it_to_qemu(string virtType)
    {
        var path = libvirtd.Under(virtType, output);
        // The sample's GPU and audio (0b:00.0 and .1) moved to the snapshot's GPU and audio (01:00.0 and .1).
        var input = Sample("domain_x86_64-gpu-audio.xml").Replace("bus=\"0x0b\"", "bus=\"0x01\"", StringComparison.Ordinal);
        // The oracle: the GPU's link as the snapshot's sysfs files say it, read here, not through vfiokit's host model.
        var gpuDir = Path.Combine(SnapshotHost, "sys", "bus", "pci", "devices", "0000:01:00.0");
        var gts = double.Parse(File.ReadAllText(Path.Combine(gpuDir, "max_link_speed")).Split(' ')[0], CultureInfo.InvariantCulture);
        var xSpeed = gts == 2.5 ? "2_5" : ((int)gts).ToString(CultureInfo.InvariantCulture);
        var xWidth = File.ReadAllText(Path.Combine(gpuDir, "max_link_width")).Trim();
        output.WriteLine($"host link of 0000:01:00.0 in the snapshot: {gts} GT/s x{xWidth} -> x-speed {xSpeed}, x-width {xWidth}");

        var run = Hook(input, SnapshotHost);

        output.WriteLine(run.Error);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("VK103 fixed", run.Error, StringComparison.Ordinal);
        Assert.Contains("pcie-root-port index 1 (ua-vfiokit-port1): link ", run.Error, StringComparison.Ordinal);
        Assert.StartsWith("<domain ", run.Out, StringComparison.Ordinal);
        Assert.EndsWith("</domain>\n", run.Out, StringComparison.Ordinal);
        var hooked = XDocument.Parse(run.Out).Root!;
        XNamespace qemu = "http://libvirt.org/schemas/domain/qemu/1.0";
        var port = Assert.Single(hooked.Element("devices")!.Elements("controller"), c => (string?)c.Attribute("model") == "pcie-root-port");
        Assert.Equal("ua-vfiokit-port1", (string?)port.Element("alias")?.Attribute("name"));
        var device = Assert.Single(hooked.Element(qemu + "override")!.Elements(qemu + "device"));
        Assert.Equal("ua-vfiokit-port1", (string?)device.Attribute("alias"));

        using var temp = new TempDirectory("vfiokit-kubevirt-");
        const string name = "vfiokit-kubevirt-link";
        var file = temp.File("hooked.xml");
        File.WriteAllText(file, Regex.Replace(run.Out, "<name>[^<]*</name>", $"<name>{name}</name>"));
        var define = path.DefineAndRead(file, name);
        Assert.True(define.Exit == 0, $"virsh define refused the hooked domain: {define.Err}");
        // libvirt keeps the user alias and the override in the definition...
        Assert.Contains("<alias name='ua-vfiokit-port1'/>", define.Kept, StringComparison.Ordinal);
        Assert.Contains("<qemu:device alias='ua-vfiokit-port1'>", define.Kept, StringComparison.Ordinal);
        // ...and puts the properties on the port's -device in its own QEMU command line (vfio backend as in Functions()).
        File.WriteAllText(file, Regex.Replace(define.Kept, "(<hostdev mode='subsystem' type='pci' managed='no'>)", "$1<driver name='vfio'/>"));
        var (exit, argv, err) = path.ToNative(file);
        Assert.True(exit == 0, $"domxml-to-native: {err}");
        var portDevice = Regex.Match(argv, "-device '(\\{\"driver\":\"pcie-root-port\"[^']*\"id\":\"ua-vfiokit-port1\"[^']*)'");
        Assert.True(portDevice.Success, argv);
        output.WriteLine(portDevice.Groups[1].Value);
        Assert.Contains($"\"x-speed\":\"{xSpeed}\"", portDevice.Groups[1].Value, StringComparison.Ordinal);
        Assert.Contains($"\"x-width\":\"{xWidth}\"", portDevice.Groups[1].Value, StringComparison.Ordinal);
        // The GPU and its audio sit behind that port, and the guest sees it advertise the host's link.
        var view = GuestViewPredictor.Predict(QemuCommandLine.Parse(argv, "hooked (libvirtd)"));
        var passed = view.Devices.Where(d => d.Device.IsPassthrough).ToList();
        Assert.Equal(2, passed.Count);
        Assert.All(passed, g =>
        {
            Assert.Equal(GuestDeviceKind.Endpoint, g.Sees);
            Assert.Equal(new PciLink(LinkSpeed.FromGTs(gts), int.Parse(xWidth, CultureInfo.InvariantCulture)), g.PortLink);
        });
    }

    [Fact]
    public void A_host_link_faster_than_16GTs_is_advertised_at_16GTs_with_the_reason_on_stderr()
    {
        // The snapshot's GPU link changed to 32GT/s x16 (a Gen5 card); no QEMU here can make one for a snapshot.
        using var temp = new TempDirectory("vfiokit-gen5-");
        CopyTree(SnapshotHost, temp.Path);
        var gpuDir = Path.Combine(temp.Path, "sys", "devices", "pci0000:00", "0000:00:03.0", "0000:01:00.0");
        File.WriteAllText(Path.Combine(gpuDir, "max_link_speed"), "32.0 GT/s PCIe\n");
        File.WriteAllText(Path.Combine(gpuDir, "max_link_width"), "16\n");
        // Config space too, as the host model reads LnkCap from it first: only the first 64 bytes, as a non-root read gives.
        var config = Path.Combine(gpuDir, "config");
        File.WriteAllBytes(config, File.ReadAllBytes(config)[..64]);
        var input = Sample("domain_x86_64-gpu-audio.xml").Replace("bus=\"0x0b\"", "bus=\"0x01\"", StringComparison.Ordinal);

        var run = Hook(input, temp.Path);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("the host link of 0000:01:00.0 is 32GT/s x16; advertised at 16GT/s (x-speed above 16 needs QEMU 9.0", run.Error, StringComparison.Ordinal);
        Assert.Contains("<qemu:property name=\"x-speed\" type=\"string\" value=\"16\" />", run.Out, StringComparison.Ordinal);
        Assert.Contains("<qemu:property name=\"x-width\" type=\"string\" value=\"16\" />", run.Out, StringComparison.Ordinal);
    }

    /// <summary>A copy of a snapshot with its symbolic links kept as links.</summary>
    private static void CopyTree(string from, string to)
    {
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos("*", SearchOption.TopDirectoryOnly))
        {
            var target = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is { } link) File.CreateSymbolicLink(target, link);
            else if (entry is DirectoryInfo d) { Directory.CreateDirectory(target); CopyTree(d.FullName, target); }
            else File.Copy(entry.FullName, target);
        }
    }

    /// <summary>Defines the domain on libvirtd (renamed for the test) and reads the passed-through functions back
    /// from libvirt's own QEMU command line.</summary>
    private List<GuestDevice> Functions(LibvirtdPath path, TempDirectory temp, string file, string xml)
    {
        var name = "vfiokit-kubevirt-" + Path.GetFileNameWithoutExtension(file);
        var renamed = Regex.Replace(xml, "<name>[^<]*</name>", $"<name>{name}</name>");
        var domainFile = temp.File(file);
        File.WriteAllText(domainFile, renamed);
        var define = path.Define(domainFile, name);
        Assert.True(define.Exit == 0, $"virsh define refused the domain: {define.Err}\n{renamed}");
        // domxml-to-native does not pick the hostdev backend as a real start does (qemuDomainPrepareHostdev: vfio);
        // without it libvirt 9.0 stops at "invalid PCI passthrough type 'default'".
        File.WriteAllText(domainFile, renamed.Replace("<hostdev type=\"pci\" managed=\"no\">", "<hostdev type=\"pci\" managed=\"no\"><driver name=\"vfio\"/>", StringComparison.Ordinal));
        var (exit, argv, err) = path.ToNative(domainFile);
        Assert.True(exit == 0, $"domxml-to-native: {err}");
        var view = GuestViewPredictor.Predict(QemuCommandLine.Parse(argv, file + " (libvirtd)"));
        return view.Devices.Where(d => d.Device.IsPassthrough).OrderBy(d => d.Device.HostAddress).ToList();
    }

    [Fact]
    public void The_hook_reads_only_the_sysfs_files_of_the_gpu_behind_the_port_it_added()
    {
        // It runs on every VM start in virt-launcher: the GPU's link is all it needs of the host, not the host model.
        var input = Sample("domain_x86_64-gpu-audio.xml").Replace("bus=\"0x0b\"", "bus=\"0x01\"", StringComparison.Ordinal);
        var host = new VfioKit.Files.SysfsRoot(SnapshotHost);
        var result = VfioKit.KubeVirt.KubeVirtHook.OnDefineDomain(input, Sample("vmi-gpu-audio.json"), host);
        Assert.Contains(result.Notes, n => n.StartsWith("pcie-root-port index 1 (ua-vfiokit-port1): link ", StringComparison.Ordinal));
        Assert.Contains("sys/bus/pci/devices/0000:01:00.0/config", host.FilesRead.Keys);
        Assert.All(host.FilesRead.Keys, f => Assert.StartsWith("sys/bus/pci/devices/0000:01:00.0/", f, StringComparison.Ordinal));
        Assert.Empty(host.DirectoriesListed);
        Assert.Empty(host.FilesStreamed);
    }

    [Fact]
    public void A_domain_with_nothing_to_fix_is_printed_byte_for_byte()
    {
        var input = Sample("domain_x86_64.xml");
        var run = Hook(input);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(input, run.Out);
    }

    [Fact]
    public void A_domain_that_cannot_be_read_is_printed_unchanged_with_the_reason_on_stderr_and_exit_0()
    {
        var input = Sample("domain_x86_64-gpu-audio.xml");
        var truncated = input[..input.IndexOf("</devices>", StringComparison.Ordinal)];
        var run = Hook(truncated);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(truncated, run.Out);
        Assert.Contains("cannot be read, passed on unchanged", run.Error, StringComparison.Ordinal);
        Assert.Contains("mynamespace/testvmi", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_domain_the_hook_fails_with_exit_2_and_prints_nothing()
    {
        var run = CliRun.Of("kubevirt-hook", "--vmi", Sample("vmi-gpu-audio.json"));
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Contains("--domain", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_as_onDefineDomain_the_binary_is_the_hook()
    {
        using var temp = new TempDirectory("vfiokit-shim-");
        var shim = temp.File("onDefineDomain");
        File.CreateSymbolicLink(shim, Path.Combine(AppContext.BaseDirectory, "vfiokit"));
        var input = Sample("domain_x86_64-gpu-audio.xml");
        var vmi = Sample("vmi-gpu-audio.json");
        // As the sidecar-shim's exec.Command("onDefineDomain", "--vmi", ..., "--domain", ...) runs it.
        var (exit, stdout, stderr) = LibvirtdFixture.Run(shim, "--vmi", vmi, "--domain", input, "--root", SnapshotHost);
        Assert.True(exit == 0, stderr);
        Assert.Equal(Hook(input, SnapshotHost).Out, stdout);
        Assert.NotEqual(input, stdout);
    }
}
