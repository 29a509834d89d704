using VfioKit.Fixing;
using VfioKit.Formats.Qemu;
using VfioKit.Formats;
using VfioKit.GuestView;
using VfioKit.Rules;
using VfioKit.Tests.Lab;
using Xunit.Abstractions;
using VfioKit.Linting;

namespace VfioKit.Tests.Fixing;

/// <summary>
/// Fixed domain XMLs against a real libvirtd: `virsh define` accepts them, and libvirt's own QEMU command
/// line for them (`virsh domxml-to-native`), read back and predicted, shows every passed-through function as
/// a PCI Express Endpoint behind a port.
/// </summary>
[Collection(LibvirtdCollection.Name)]
public class FixedDomainsOnLibvirtdTests(LibvirtdFixture libvirtd, ITestOutputHelper output)
{
    public static TheoryData<string> Domains()
    {
        var data = new TheoryData<string>();
        foreach (var r in RuleCatalog.All)
            for (var i = 0; i < r.Examples.Count; i++)
                if (r.Examples[i].Format == ConfigFormat.Libvirt) data.Add($"{r.Descriptor.Id}/{i}");
        data.Add("configs/seed-libvirt-ioh3420.xml");
        data.Add("configs/virt-manager-port-per-function.xml");
        return data;
    }

    public static IEnumerable<object[]> DomainsOnBothPaths() => VirtTypes.Cross(Domains());

    [SkippableTheory]
    [MemberData(nameof(DomainsOnBothPaths))]
    public void A_fixed_domain_is_defined_by_libvirtd_and_its_gpu_is_an_endpoint_behind_a_port(string name, string virtType)
    {
        var libvirtdPath = libvirtd.Under(virtType, output);
        var text = name.StartsWith("configs/", StringComparison.Ordinal)
            ? File.ReadAllText(TestPaths.DataFile(name.Split('/')))
            : RuleCatalog.Find(name.Split('/')[0])!.Examples[int.Parse(name.Split('/')[1], System.Globalization.CultureInfo.InvariantCulture)].Bad;
        var fixedText = Fixer.Fix(new ConfigDocument("vm.xml", text, ConfigFormat.Libvirt), new FixOptions(Unsafe: true)).FixedText;
        var domainName = "vfiokit-fix-" + name.Replace('/', '-').Replace('.', '-');
        fixedText = System.Text.RegularExpressions.Regex.Replace(fixedText, "<name>[^<]*</name>", $"<name>{domainName}</name>");
        fixedText = System.Text.RegularExpressions.Regex.Replace(fixedText, "\\s*<uuid>[^<]*</uuid>", "");
        using var temp = new TempDirectory("vfiokit-define-");
        var path = temp.File("vm.xml");
        File.WriteAllText(path, fixedText);

        // VK111 (two devices at one address) has no fix: libvirt must refuse what the rule says it refuses.
        var refused = Linter.Lint(new ConfigDocument("vm.xml", fixedText, ConfigFormat.Libvirt)).Findings.Any(f => f.RuleId == RuleIds.AddressInUse);
        var define = libvirtdPath.Define(path, domainName);
        if (refused)
        {
            Assert.NotEqual(0, define.Exit);
            return;
        }
        Assert.True(define.Exit == 0, $"virsh define refused the fixed domain: {define.Err}\n{fixedText}");

        // domxml-to-native needs hugetlbfs mounted for <hugepages/>; memory backing does not change the PCI tree.
        File.WriteAllText(path, System.Text.RegularExpressions.Regex.Replace(fixedText, "\\s*<memoryBacking>.*?</memoryBacking>", "", System.Text.RegularExpressions.RegexOptions.Singleline));
        var (exit, argv, err) = libvirtdPath.ToNative(path);
        Assert.True(exit == 0, $"domxml-to-native: {err}");
        var view = GuestViewPredictor.Predict(QemuCommandLine.Parse(argv, name + " (libvirtd)"));
        var gpus = view.Devices.Where(d => d.Device.IsPassthrough).ToList();
        Assert.NotEmpty(gpus);
        if (view.Topology.Machine.Family != VfioKit.Vm.MachineFamily.Q35) return;
        Assert.All(gpus, g =>
        {
            Assert.Equal(GuestDeviceKind.Endpoint, g.Sees);
            Assert.NotNull(g.PortLink);
        });
    }
}
