using System.Text.RegularExpressions;
using System.Xml.Linq;
using VfioKit.Formats.Qemu;
using VfioKit.GuestView;
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

    private static CliRun Hook(string domain) => CliRun.Of("kubevirt-hook", "--vmi", Sample("vmi-gpu-audio.json"), "--domain", domain);

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
        var (exit, stdout, stderr) = LibvirtdFixture.Run(shim, "--vmi", vmi, "--domain", input);
        Assert.True(exit == 0, stderr);
        Assert.Equal(Hook(input).Out, stdout);
        Assert.NotEqual(input, stdout);
    }
}
