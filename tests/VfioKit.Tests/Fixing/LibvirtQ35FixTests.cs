using System.Text.RegularExpressions;
using VfioKit.Edits;
using VfioKit.Fixing;
using VfioKit.Formats;
using VfioKit.Formats.Qemu;
using VfioKit.GuestView;
using VfioKit.Linting;
using VfioKit.Rules;
using VfioKit.Tests.Cli;
using VfioKit.Tests.Lab;
using VfioKit.Vm;
using Xunit.Abstractions;

namespace VfioKit.Tests.Fixing;

/// <summary>
/// VK101's libvirt repair under --unsafe: i440fx to a q35 machine of the same QEMU era, guest PCI addresses and PCI
/// controllers dropped for libvirt to place again, IDE to SATA; then VK103 gathers the GPU behind one root port.
/// Proved on the three real i440fx passthrough domains of the corpus against the suite's libvirtd.
/// </summary>
[Collection(LibvirtdCollection.Name)]
public class LibvirtQ35FixTests(LibvirtdFixture libvirtd, ITestOutputHelper output)
{
    public static TheoryData<string> RealI440fxDomains() => new()
    {
        "libvirt-braineniac-win10.xml", "libvirt-ipimpat-win10.xml", "libvirt-justarchi-win10.xml",
    };

    public static IEnumerable<object[]> RealDomainsOnBothPaths() => VirtTypes.Cross(RealI440fxDomains());

    private static string Real(string name) => File.ReadAllText(TestPaths.DataFile("RealConfigs", name));

    private static ConfigDocument Doc(string text) => new("vm.xml", text, ConfigFormat.Libvirt);

    [Theory]
    [InlineData("pc-i440fx-7.2", "pc-q35-7.2")]
    [InlineData("pc-i440fx-2.11", "pc-q35-2.11")]
    [InlineData("pc-i440fx-rhel7.6.0", "pc-q35-rhel7.6.0")]
    [InlineData("pc", "q35")]
    [InlineData("pc-i440fx-2.3", "q35")] // QEMU has no q35 of that era (pc-q35 starts at 2.4)
    [InlineData("pc-1.3", "q35")]
    public void The_machine_becomes_the_q35_of_the_same_qemu_era(string i440fx, string q35) =>
        Assert.Equal(q35, Q35Conversion.MachineFor(i440fx));

    [Theory]
    [MemberData(nameof(RealI440fxDomains))]
    public void The_vk101_repair_alone_changes_only_what_it_names(string name)
    {
        var text = Real(name);
        var vk101 = Linter.Lint(Doc(text)).Findings.Single(f => f.RuleId == RuleIds.PassthroughOnI440fx);
        Assert.True(vk101.Fix!.Unsafe);
        var after = TextEdits.Apply(text, vk101.Fix.Edits);

        Assert.Matches("<type arch='x86_64' machine='pc-q35-[0-9.]+'>hvm</type>", after);
        Assert.DoesNotContain("type='pci' domain=", after); // no guest PCI address left for libvirt to keep
        Assert.DoesNotContain("model='pci-root'", after);
        Assert.DoesNotContain("<controller type='ide'", after);
        Assert.DoesNotContain("bus='ide'", after);
        // The host side of every hostdev is kept.
        Assert.Equal(HostAddresses(text), HostAddresses(after));
        // Byte-exact elsewhere: every line of the result is a line of the original, in order, except the two kinds
        // of line the repair rewrites (the machine type, an IDE target now SATA).
        var original = text.Split('\n');
        var i = 0;
        foreach (var line in after.Split('\n'))
        {
            if (line.Contains("machine='pc-q35-", StringComparison.Ordinal) || line.Contains("bus='sata'", StringComparison.Ordinal) && !original.Contains(line)) continue;
            while (i < original.Length && original[i] != line) i++;
            Assert.True(i < original.Length, $"line not in the original (or out of order): {line}");
            i++;
        }
        // Relinted: no VK101; the GPU's functions, now placed by libvirt, are left for VK103 to gather.
        Assert.DoesNotContain(Linter.Lint(Doc(after)).Findings, f => f.RuleId == RuleIds.PassthroughOnI440fx);
    }

    [Theory]
    [MemberData(nameof(RealI440fxDomains))]
    public void Fix_unsafe_converts_then_gathers_the_gpu_behind_one_root_port(string name)
    {
        var text = Real(name);
        var safe = Fixer.Fix(Doc(text), new FixOptions(Unsafe: false));
        Assert.DoesNotContain(safe.Applied, f => f.RuleId == RuleIds.PassthroughOnI440fx);
        Assert.Contains(safe.Remaining, f => f.RuleId == RuleIds.PassthroughOnI440fx);

        var result = Fixer.Fix(Doc(text), new FixOptions(Unsafe: true));
        Assert.Contains(result.Applied, f => f.RuleId == RuleIds.PassthroughOnI440fx);
        var left = Linter.Lint(Doc(result.FixedText)).Findings.Select(f => f.RuleId).ToList();
        Assert.DoesNotContain(RuleIds.PassthroughOnI440fx, left);
        Assert.DoesNotContain(RuleIds.PcieDeviceOnRootBus, left);
        Assert.DoesNotContain(RuleIds.FunctionsSplitAcrossSlots, left);
        Assert.DoesNotContain(result.Applied.Select(f => f.RuleId).Distinct(), left.Contains);
    }

    [Fact]
    public void Fix_write_replaces_the_file_and_keeps_the_original()
    {
        using var temp = new TempDirectory("vfiokit-q35-");
        var path = temp.File("win10.xml");
        var original = File.ReadAllBytes(TestPaths.DataFile("RealConfigs", "libvirt-braineniac-win10.xml"));
        File.WriteAllBytes(path, original);
        var run = CliRun.Of("fix", "--unsafe", "--write", path);
        Assert.Contains("fixed VK101: machine type pc-q35-3.0", run.Out + run.Error);
        Assert.Equal(original, File.ReadAllBytes(path + ".bak"));
        Assert.DoesNotContain("i440fx", File.ReadAllText(path));
    }

    [SkippableTheory]
    [MemberData(nameof(RealDomainsOnBothPaths))]
    public void Libvirtd_defines_the_fixed_domain_and_puts_the_gpu_behind_a_pcie_root_port(string name, string virtType)
    {
        var path = libvirtd.Under(virtType, output);
        var fixedText = Fixer.Fix(Doc(Real(name)), new FixOptions(Unsafe: true)).FixedText;
        var domainName = "vfiokit-q35-" + name.Replace('.', '-');
        fixedText = Regex.Replace(fixedText, "<name>[^<]*</name>", $"<name>{domainName}</name>");
        fixedText = Regex.Replace(fixedText, "\\s*<uuid>[^<]*</uuid>", "");
        // This machine's, not the author's: their emulator path (/opt/qemu-.../kvm) and, for domxml-to-native, which
        // has no host to choose the default passthrough backend from, vfio named. Neither touches the PCI tree.
        fixedText = Regex.Replace(fixedText, "\\s*<emulator>[^<]*</emulator>", "");
        fixedText = Regex.Replace(fixedText, "(<hostdev mode='subsystem' type='pci'[^>]*>)(?!\\s*<driver)", "$1<driver name='vfio'/>");
        using var temp = new TempDirectory("vfiokit-q35-define-");
        var file = temp.File("vm.xml");
        File.WriteAllText(file, fixedText);
        var define = path.Define(file, domainName);
        Assert.True(define.Exit == 0, $"virsh define refused the fixed domain: {define.Err}\n{fixedText}");

        // domxml-to-native needs hugetlbfs for <hugepages/> and a host to find a USB device by vendor/product on;
        // neither memory backing nor a USB hostdev is on the PCI tree.
        var native = Regex.Replace(fixedText, "\\s*<memoryBacking>.*?</memoryBacking>", "", RegexOptions.Singleline);
        native = Regex.Replace(native, "\\s*<hostdev mode='subsystem' type='usb'.*?</hostdev>", "", RegexOptions.Singleline);
        File.WriteAllText(file, native);
        var (exit, argv, err) = path.ToNative(file);
        Assert.True(exit == 0, $"domxml-to-native: {err}");
        output.WriteLine(argv);
        var view = GuestViewPredictor.Predict(QemuCommandLine.Parse(argv, name + " (libvirtd)"));
        Assert.Equal(MachineFamily.Q35, view.Topology.Machine.Family);
        var passed = view.Devices.Where(d => d.Device.IsPassthrough).ToList();
        Assert.NotEmpty(passed);
        Assert.All(passed, g =>
        {
            Assert.Equal(GuestDeviceKind.Endpoint, g.Sees);
            Assert.Equal(ControllerModel.PcieRootPort, view.Topology.PortAbove(g.Device)?.Controller);
        });
        // Each host device's functions share one guest slot behind one port.
        foreach (var host in passed.GroupBy(g => g.Device.HostSlot()!.Value.Device))
            Assert.Single(host.Select(g => (g.Device.Placement!.Bus, g.Device.Placement.Address.Slot)).Distinct());
    }

    private static List<string> HostAddresses(string xml) =>
        Regex.Matches(xml, "<source>\\s*<address domain='[^']*' bus='[^']*' slot='[^']*' function='[^']*'/>").Select(m => m.Value).ToList();
}
