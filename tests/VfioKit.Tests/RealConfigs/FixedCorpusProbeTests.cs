using System.Collections.Concurrent;
using System.Diagnostics;
using VfioKit.Formats;
using VfioKit.Formats.Qemu;
using VfioKit.Linting;
using VfioKit.Probe;
using VfioKit.Rules;
using VfioKit.Tests.Fixing;
using VfioKit.Tests.Probe;
using VfioKit.Vm;
using Xunit.Abstractions;

namespace VfioKit.Tests.RealConfigs;

/// <summary>
/// Issue 13's first "done when" over the real corpus: every QEMU script, argument file and Proxmox config that
/// `fix` changes the PCI tree of (as `vfiokit fix FILE` and as `fix --unsafe`), read back and booted in probe under real QEMU,
/// completes, agrees with the prediction and shows each vfio-pci function as an Endpoint behind a root or
/// downstream port. Probe boots the file's topology with stand-ins for vfio-pci and null backends, so disk images,
/// OVMF/pflash files, host devices and -enable-kvm the file names are never needed (StandInMachine.Dropped lists
/// what was left out). A fixed output that stays on i440fx (a legacy-IGD or GVT-g VM, whose q35 move is unsafe)
/// has no ports: there each function must be where the prediction puts it, on the guest's conventional bus; a fixed
/// file with no vfio-pci function (a moved USB controller, a CPU-only fix) must boot and agree.
/// </summary>
public sealed class FixedCorpusProbeTests(ITestOutputHelper output)
{
    /// <summary>Two guests at once: the machine has two cores.</summary>
    private const int Jobs = 2;

    private sealed record Case(string Name, string Text, ConfigFormat Format);

    /// <summary>The distinct fixed outputs of the corpus's readable QEMU and Proxmox files whose PCI tree fix changes.</summary>
    private static List<Case> Cases()
    {
        var cases = new List<Case>();
        foreach (var file in RealConfigCorpus.Files.Where(f => !f.StartsWith("libvirt-", StringComparison.Ordinal)))
        {
            if (RealConfigCorpus.Of(file).Any(j => j.Rule == Judgement.Read && j.Verdict != Judgement.Expected)) continue;
            var path = Path.Combine(RealConfigCorpus.Dir, file);
            var text = ConfigInput.Decode(path, File.ReadAllBytes(path));
            var document = new ConfigDocument(path, text, ConfigFormatDetector.Detect(path, text));
            var seen = new HashSet<string>(StringComparer.Ordinal);
            // The PCI tree as QEMU options: a fix that leaves it as it was (a -cpu or Hyper-V change) boots nothing new.
            var tree = string.Join(' ', QemuCommandLine.ToArgv(VmConfigFile.Parse(path, text, format: document.Format).Topology));
            foreach (var @unsafe in new[] { false, true })
            {
                var fixedText = Fixer.Fix(document, new FixOptions(Unsafe: @unsafe)).FixedText;
                if (fixedText == text || !seen.Add(fixedText)) continue;
                if (string.Join(' ', QemuCommandLine.ToArgv(VmConfigFile.Parse(path, fixedText, format: document.Format).Topology)) == tree) continue;
                cases.Add(new Case(file + (@unsafe ? " (fix --unsafe)" : " (fix)"), fixedText, document.Format));
            }
        }
        return cases;
    }

    [Fact]
    public async Task Every_fixed_QEMU_and_Proxmox_corpus_file_boots_with_each_vfio_function_an_Endpoint_behind_a_port()
    {
        var clock = Stopwatch.StartNew();
        var cases = Cases();
        // The corpus has fixable QEMU scripts of every style; an empty list would mean fix or the reader broke.
        Assert.True(cases.Count(c => c.Format == ConfigFormat.Qemu) >= 10, $"only {cases.Count(c => c.Format == ConfigFormat.Qemu)} fixed QEMU files");

        var failures = new ConcurrentBag<string>();
        var notes = new ConcurrentBag<string>();
        var functionsChecked = 0;
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = Jobs }, async (c, ct) =>
        {
            VmTopology topology;
            try
            {
                topology = VmConfigFile.Parse(c.Name, c.Text, format: c.Format).Topology;
            }
            catch (VfioKit.Diagnostics.InputException e)
            {
                failures.Add($"{c.Name}: the fixed file cannot be read: {e.Message}\n  fixed config:\n{c.Text}");
                return;
            }
            var passthrough = topology.Devices.Count(d => d.IsPassthrough);
            var problems = topology.Machine.Family == MachineFamily.Q35 && passthrough > 0
                ? await FixedConfigsProbeTests.Check(topology, ct, n => Interlocked.Add(ref functionsChecked, n))
                : await CheckBoots(topology, ct, n => Interlocked.Add(ref functionsChecked, n));
            notes.Add($"{c.Name}: {topology.Machine.Type}, {passthrough} vfio-pci functions");
            if (problems.Count > 0)
                failures.Add($"{c.Name}: {string.Join("\n  ", problems)}\n  fixed config:\n{c.Text}");
        });
        foreach (var n in notes.Order(StringComparer.Ordinal)) output.WriteLine(n);
        output.WriteLine($"{cases.Count} fixed corpus files booted, {functionsChecked} vfio-pci functions checked, {clock.Elapsed.TotalSeconds:F0} s");
        Assert.True(failures.IsEmpty, string.Join("\n\n", failures.Order(StringComparer.Ordinal)));
    }

    /// <summary>An i440fx VM, or one with no vfio-pci function (fix moved another device, or changed only the CPU): the
    /// guest completes, agrees with the prediction, and shows each vfio-pci function where predicted.</summary>
    private static async Task<List<string>> CheckBoots(VmTopology topology, CancellationToken ct, Action<int> counted)
    {
        var passthrough = topology.Devices.Where(d => d.IsPassthrough).ToList();
        var result = await VmProbe.RunAsync(topology, ProbeLab.Setup, null, ct);
        if (!result.Run.Completed) return ["the guest did not complete: " + result.Run.Explain()];
        var problems = result.Findings!.Describe().Select(d => "the guest disagrees with the prediction: " + d).ToList();
        foreach (var device in passthrough)
        {
            var predicted = result.Prediction.Devices.FirstOrDefault(p => ReferenceEquals(p.Device, device));
            if (predicted?.GuestAddress is not { } address)
                problems.Add($"{device}: predicted not visible");
            else if (result.Report!.Find(address) is null)
                problems.Add($"{device}: the guest shows nothing at {address}");
            else
                counted(1);
        }
        return problems;
    }
}
