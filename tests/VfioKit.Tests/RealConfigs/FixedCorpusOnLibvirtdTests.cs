using System.Text.RegularExpressions;
using System.Xml.Linq;
using VfioKit.Formats;
using VfioKit.Formats.Qemu;
using VfioKit.GuestView;
using VfioKit.Linting;
using VfioKit.Rules;
using VfioKit.Tests.Lab;
using VfioKit.Vm;
using Xunit.Abstractions;

namespace VfioKit.Tests.RealConfigs;

/// <summary>
/// Issue 13's first "done when" for the corpus's libvirt domains: each one `fix` changes (as `vfiokit fix FILE` and
/// as `fix --unsafe`) is defined by the real libvirtd, and libvirt's own QEMU command line for it
/// (`virsh domxml-to-native`), read back, shows every vfio-pci function of a q35 domain as an Endpoint behind a
/// port. Both virt-type paths run (<see cref="LibvirtdFixture.Under"/>: a type='qemu' copy where KVM is missing).
/// </summary>
[Collection(LibvirtdCollection.Name)]
public sealed partial class FixedCorpusOnLibvirtdTests(LibvirtdFixture libvirtd, ITestOutputHelper output)
{
    /// <summary>Each corpus domain and fix mode whose output is new: changed by fix, and for --unsafe other than what
    /// fix makes (an output left as it is has nothing new to define, so it is no row rather than a skipped one).</summary>
    public static IEnumerable<object[]> Domains() => VirtTypes.Cross(
        RealConfigCorpus.Files.Where(f => f.StartsWith("libvirt-", StringComparison.Ordinal)
                && !RealConfigCorpus.Of(f).Any(j => j.Rule == Judgement.Read && j.Verdict != Judgement.Expected))
            .SelectMany(f =>
            {
                var (text, safe, @unsafe) = (Original(f), Fixed(f, false), Fixed(f, true));
                return new[] { (false, safe != text), (true, @unsafe != text && @unsafe != safe) }
                    .Where(row => row.Item2).Select(row => new object[] { f, row.Item1 });
            }));

    private static string Original(string file)
    {
        var path = Path.Combine(RealConfigCorpus.Dir, file);
        return ConfigInput.Decode(path, File.ReadAllBytes(path));
    }

    private static string Fixed(string file, bool @unsafe) =>
        Fixer.Fix(new ConfigDocument(Path.Combine(RealConfigCorpus.Dir, file), Original(file), ConfigFormat.Libvirt), new FixOptions(Unsafe: @unsafe)).FixedText;

    [SkippableTheory]
    [MemberData(nameof(Domains))]
    public void A_fixed_corpus_domain_is_defined_by_libvirtd_and_its_functions_are_endpoints_behind_ports(string file, bool @unsafe, string virtType)
    {
        var text = Original(file);
        var fixedText = Fixed(file, @unsafe);
        Assert.NotEqual(text, fixedText);
        var libvirtdPath = libvirtd.Under(virtType, output);

        var domainName = "vfiokit-corpus-" + Path.GetFileNameWithoutExtension(file) + (@unsafe ? "-unsafe" : "");
        using var temp = new TempDirectory("vfiokit-corpus-define-");
        var xml = temp.File("vm.xml");
        fixedText = ForThisLibvirtd(fixedText, domainName);
        File.WriteAllText(xml, fixedText);
        var define = libvirtdPath.Define(xml, domainName);
        Assert.True(define.Exit == 0, $"virsh define refused the fixed {file}: {define.Err}\n{fixedText}");

        // domxml-to-native needs hugetlbfs mounted for <hugepages/>; hugepages do not change the PCI tree (the rest of
        // <memoryBacking> stays: virtiofs needs its shared access).
        File.WriteAllText(xml, Hugepages().Replace(fixedText, ""));
        var (exit, argv, err) = libvirtdPath.ToNative(xml);
        Assert.True(exit == 0, $"domxml-to-native of the fixed {file}: {err}");
        var view = GuestViewPredictor.Predict(QemuCommandLine.Parse(argv, file + " (libvirtd)"));
        var functions = view.Devices.Where(d => d.Device.IsPassthrough).ToList();
        output.WriteLine($"{file}: {view.Topology.Machine.Type}, {functions.Count} vfio-pci functions");
        if (view.Topology.Machine.Family != MachineFamily.Q35) return;
        Assert.All(functions, g =>
        {
            Assert.True(g.Sees == GuestDeviceKind.Endpoint, $"{g.Device}: {g.Sees} in libvirt's command line for the fixed {file}");
            Assert.True(g.PortLink is not null, $"{g.Device}: behind no port in libvirt's command line for the fixed {file}");
        });
    }

    /// <summary>
    /// The test's copy of a corpus domain for the libvirtd here (9.0, no VFIO, no swtpm), with what does not touch the
    /// PCI tree adapted, the same for the original and the fixed file: its own name and no uuid; the emulator of this
    /// machine where the file names one that is not here; &lt;driver name='vfio'/&gt; in a PCI hostdev that has none
    /// (what libvirt picks itself when it starts the domain on a VFIO host; domxml-to-native on a host without
    /// /dev/vfio says "invalid PCI passthrough type 'default'"); no iTCO watchdog (built into ICH9, libvirt 9.1+), no
    /// TPM (an ISA/CRB device; 2.0 needs swtpm), no &lt;audio&gt; backends (pipewire is libvirt 9.1+), no USB hostdevs
    /// (domxml-to-native looks vendor/product up on the host); a machine type newer than this QEMU (7.2) becomes
    /// q35 (or pc), its newest; no firmware autoselection beside an explicit &lt;loader&gt; (libvirt 9.2+ takes both; the loader is the one used).
    /// </summary>
    internal static string ForThisLibvirtd(string xml, string name)
    {
        var doc = XDocument.Parse(xml, LoadOptions.PreserveWhitespace);
        var domain = doc.Root!;
        domain.Element("name")?.SetValue(name);
        domain.Element("uuid")?.Remove();
        if (domain.Element("devices") is { } devices)
        {
            if (devices.Element("emulator") is { } emulator && !File.Exists(emulator.Value.Trim()))
                emulator.Value = "/usr/bin/qemu-system-x86_64";
            foreach (var hostdev in devices.Elements("hostdev").Where(h => (string?)h.Attribute("type") == "pci" && h.Element("driver") is null))
                hostdev.AddFirst(new XElement("driver", new XAttribute("name", "vfio")));
            devices.Elements("watchdog").Where(w => (string?)w.Attribute("model") == "itco").Remove();
            devices.Elements("tpm").Remove();
            devices.Elements("audio").Remove();
            devices.Elements("hostdev").Where(h => (string?)h.Attribute("type") == "usb").Remove();
        }
        if (domain.Element("os") is { } os)
        {
            if (os.Element("type")?.Attribute("machine") is { } machine && !Machines.Value.Contains(machine.Value))
                machine.Value = machine.Value.StartsWith("pc-q35", StringComparison.Ordinal) || machine.Value == "q35" ? "q35" : "pc";
            if (os.Element("loader") is not null)
            {
                os.Attribute("firmware")?.Remove();
                os.Elements("firmware").Remove();
            }
        }
        return doc.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>The machine types this machine's QEMU knows (`-machine help`).</summary>
    private static readonly Lazy<HashSet<string>> Machines = new(() =>
        LibvirtdFixture.Run("qemu-system-x86_64", "-machine", "help").Out.Split('\n')
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()).OfType<string>().ToHashSet(StringComparer.Ordinal));

    [GeneratedRegex(@"\s*<hugepages\s*/>|\s*<hugepages>.*?</hugepages>", RegexOptions.Singleline)]
    private static partial Regex Hugepages();
}
