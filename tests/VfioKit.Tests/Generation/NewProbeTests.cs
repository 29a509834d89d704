using System.Text.Json;
using VfioKit.Formats.Libvirt;
using VfioKit.Formats.Qemu;
using VfioKit.Host;
using VfioKit.Tests.Cli;
using Xunit;
using Xunit.Abstractions;
using VirtTypes = VfioKit.Tests.Lab.VirtTypes;
using VfioKit.Files;

namespace VfioKit.Tests.Generation;

/// <summary>The proof: `vfiokit probe` boots the generated VM's topology under real QEMU with a real guest kernel and
/// reads what the guest sees. Every GPU function must be an Endpoint behind a root port whose link is the host's.
/// The libvirt case goes through the real libvirtd (domxml-to-native), since the link reaches QEMU through
/// &lt;qemu:commandline&gt; -global, which libvirt passes on and the domain XML reader does not model.</summary>
[Collection(VfioKit.Tests.Lab.LibvirtdCollection.Name)]
public sealed class NewProbeTests(VfioKit.Tests.Lab.LibvirtdFixture libvirtd, ITestOutputHelper output)
{
    private static readonly string Hosts = Path.Combine(TestPaths.Data, "hosts");

    /// <param name="virtType">The libvirtd path of the libvirt case (<see cref="VirtTypes"/>); null for the QEMU script.</param>
    [SkippableTheory]
    [InlineData("smp8-dies", "qemu", null)]
    [InlineData("q35-gpu-iommu", "libvirt", VirtTypes.Qemu)]
    [InlineData("q35-gpu-iommu", "libvirt", VirtTypes.Kvm)]
    public void Probe_shows_every_gpu_function_as_an_endpoint_behind_a_port_with_the_host_link(string snapshot, string format, string? virtType)
    {
        var libvirtdPath = virtType is null ? null : libvirtd.Under(virtType, output);
        var root = Path.Combine(Hosts, snapshot);
        var gpu = HostModel.Read(new SysfsRoot(root)).Gpus.First(g => g.Functions.Count >= 2 && g.Viability.Verdict != Viability.NotViable);
        var hostLink = gpu.Display.Pcie!.LinkCapability!.Value;
        using var temp = new TempDirectory("vfiokit-newprobe-");
        var dir = temp.Path;
        var file = Path.Combine(dir, format == "qemu" ? "vm.sh" : "vm.xml");
        // No disk in the libvirt case: probe drops libvirt's iothread object but keeps the disk's iothread= (probe's gap).
        string[] disk = format == "qemu" ? ["--disk-size", "8G"] : [];
        var made = CliRun.Of(["new", "--root", root, "--gpu", gpu.Slot.ToString(), "--memory", "1G", "--vcpus", "1", "--format", format,
            "--looking-glass", "1920x1080", .. disk, "--force", "--hugepages", "off", "--output", file]);
        Assert.True(made.ExitCode == 0, made.Error);
        var probed = file;
        if (format == "libvirt")
        {
            var native = libvirtdPath!.ToNative(file);
            Assert.True(native.Exit == 0, native.Err);
            probed = Path.Combine(dir, "libvirt.args");
            File.WriteAllText(probed, native.Out);
        }

        var probe = CliRun.Of("probe", probed, "--json", "--kernel", VfioKit.Tests.Probe.ProbeLab.Tools.Kernel);
        Assert.True(probe.ExitCode == 0, probe.Out + probe.Error);
        using var json = JsonDocument.Parse(probe.Out);
        var devices = json.RootElement.GetProperty("devices").EnumerateArray().ToList();
        string Seen(JsonElement d, string property) =>
            d.GetProperty("checks").EnumerateArray().First(c => c.GetProperty("property").GetString() == property).GetProperty("seen").GetString()!;

        var topology = QemuCommandLine.Load(probed);
        var functions = topology.Configured.Where(d => d.IsPassthrough && d.HostAddress!.Value.Slot == gpu.Slot).ToList();
        Assert.Equal(gpu.Functions.Count, functions.Count);
        foreach (var f in functions)
        {
            var seen = devices.Single(d => d.GetProperty("id").GetString() == f.Id);
            Assert.Equal("Endpoint", Seen(seen, "type"));
            var port = devices.Single(d => d.GetProperty("id").GetString() == f.Placement!.Bus);
            Assert.Equal("Root Port", Seen(port, "type"));
            // QEMU's generic port would show 16GT/s x32: the host link here proves x-speed/x-width reached the guest.
            Assert.Equal(hostLink.ToString(), Seen(port, "link"));
        }
    }
}
