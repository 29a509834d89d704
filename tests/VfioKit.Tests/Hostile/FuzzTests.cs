using VfioKit.Diagnostics;
using VfioKit.Fixing;
using VfioKit.Formats;
using VfioKit.Rules;
using VfioKit.Tests.Cli;
using VfioKit.Tests.Fixing;
using VfioKit.Linting;

namespace VfioKit.Tests.Hostile;

/// <summary>
/// Mutated real configurations (the corpora under Data) through every reader, lint and fix, in process:
/// the only exception allowed is <see cref="InputException"/> (a clear message with the file), no input runs
/// longer than <see cref="FuzzCampaign.Deadline"/> or allocates more than <see cref="FuzzCampaign.MaxAllocation"/>,
/// fix's output reads back, re-lints without a fixable finding, is a fixed point, and a script that passed
/// `bash -n` still does. Host snapshots: a file of a snapshot mutated, then `host` and `lint --host` must not
/// reach the exit-70 guard. Seeded (VFIOKIT_FUZZ_SEED, default 11); CI runs at most <see cref="CiInputs"/>
/// inputs or <see cref="CiSeconds"/> s per format; bench/fuzz.sh runs the same campaigns longer
/// (VFIOKIT_FUZZ_COUNT, VFIOKIT_FUZZ_SECONDS, VFIOKIT_FUZZ_REPORT).
/// </summary>
public class FuzzTests
{
    private const int CiInputs = 1500;
    private const double CiSeconds = 8;

    private static readonly string[] Proxmox =
    [
        File.ReadAllText(TestPaths.DataFile("configs", "proxmox-q35-gpu.conf")),
        "bios: seabios\nboot: order=ide0\ncores: 4\ncpu: kvm64\nhostpci0: 01:00,x-vga=1\nhostpci1: 0000:02:00.0;0000:02:00.1\nmemory: 8192\nostype: win10\n" +
        "args: -device vfio-pci,host=03:00.0,bus=pci.0,addr=0x10\nhugepages: 1024\naffinity: 0-3\n\n[snap1]\ncores: 2\nmemory: 4096\n",
        "# description\n#more\nmachine: q35\nbios: ovmf\nhostpci0: mapping=gpu,pcie=1,rombar=0,romfile=vbios.bin\nnuma: 1\nsockets: 2\ncores: 2\nvcpus: 3\n" +
        "cpu: host,flags=+pdpe1gb;-md-clear,hidden=1,hv-vendor-id=proxmox\nostype: l26\n[PENDING]\nmemory: 2048\n",
    ];

    /// <summary>Symlinks are skipped: the host snapshots hold sysfs's directory links, which loop (.NET's recursive
    /// enumeration follows them without end; this is what kept the first version of these tests from finishing).</summary>
    internal static readonly EnumerationOptions NoLinks = new()
    {
        RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true,
    };

    private static string[] Files(string pattern, params string[] dirs) =>
        dirs.SelectMany(d => Directory.EnumerateFiles(TestPaths.DataFile(d), pattern, NoLinks)).Order(StringComparer.Ordinal).ToArray();

    private static readonly Lazy<(string Name, string Text)[]> Libvirt = new(() =>
        Files("*.xml", "libvirt", "configs", "qemu").Select(f => (Path.GetFileName(f), File.ReadAllText(f))).ToArray());

    private static readonly Lazy<(string Name, string Text)[]> Qemu = new(() =>
        Files("*.args", "libvirt", "hosts", "qemu", "guests").Concat(Files("*.sh", "configs", "probe"))
            .Select(f => (Path.GetFileName(f), File.ReadAllText(f))).ToArray());

    [Fact]
    public void Mutated_libvirt_domains_never_crash_hang_or_break_fix() => Fuzz("libvirt", Libvirt.Value);

    [Fact]
    public void Mutated_QEMU_scripts_and_argument_files_never_crash_hang_or_break_fix() => Fuzz("qemu", Qemu.Value);

    [Fact]
    public void Mutated_Proxmox_configs_never_crash_hang_or_break_fix() =>
        Fuzz("proxmox", Proxmox.Select((t, i) => ($"{100 + i}.conf", t)).ToArray());

    private static void Fuzz(string format, (string Name, string Text)[] corpus)
    {
        Assert.NotEmpty(corpus);
        var (count, seconds, seed) = FuzzCampaign.Settings(CiInputs, CiSeconds);
        var campaign = new FuzzCampaign(format, seed);
        campaign.Run(count, seconds, (random, describe) =>
        {
            var (name, text) = corpus[random.Next(corpus.Length)];
            var mutations = ConfigMutation.Draw(random, 4);
            var input = $"{name} after {string.Join("; ", mutations)}";
            describe(input);
            foreach (var m in mutations) text = m.Apply(text);
            FuzzCampaign.Dump(text);
            if (CheckConfig(name, text) is { Declined.Count: > 0 }) campaign.CountDeclined();
            return input;
        }).Assert();
    }

    /// <summary>Lint and fix one input; null when lint refuses it with an <see cref="InputException"/>.</summary>
    private static FixResult? CheckConfig(string name, string text)
    {
        ConfigDocument document;
        try
        {
            document = new ConfigDocument(name, text, ConfigFormatDetector.Detect(name, text));
            Linter.Lint(document);
        }
        catch (InputException)
        {
            return null; // refused with a message naming the file: what a user should see
        }
        var result = Fixer.Fix(document, new FixOptions(Unsafe: true));
        if (!result.Changed) return result;
        // Reads back (an InputException here fails the input) and is a fixed point: fixing it again changes nothing.
        Linter.Lint(document with { Text = result.FixedText });
        Assert.Equal(result.FixedText, Fixer.Fix(document with { Text = result.FixedText }, new FixOptions(Unsafe: true)).FixedText);
        if (document.Format == ConfigFormat.Qemu && VfioKit.Formats.Qemu.ArgsFile.TryRead(text, name) is null &&
            ToolRun.Of("bash", "-n", "-c", text).ExitCode == 0)
            Assert.Equal((0, ""), ToolRun.Of("bash", "-n", "-c", result.FixedText));
        return result;
    }

    [Fact]
    public void Mutated_host_snapshots_never_reach_the_internal_error_guard()
    {
        using var dir = new TempDirectory("vk-fuzz-host");
        var snapshots = Directory.EnumerateDirectories(TestPaths.DataFile("hosts")).Order(StringComparer.Ordinal).ToArray();
        foreach (var s in snapshots) Assert.Equal(0, ToolRun.Of("cp", "-a", s, dir.Path).ExitCode);
        var files = snapshots.Select(s => Path.Combine(dir.Path, Path.GetFileName(s)))
            .SelectMany(s => Directory.EnumerateFiles(s, "*", NoLinks).Select(f => (Root: s, File: f)))
            .Where(f => new FileInfo(f.File).Length < 65536)
            .Order().ToArray();
        Assert.NotEmpty(files);
        var config = TestPaths.DataFile("configs", "seed-libvirt-ioh3420.xml");
        // A host run reads a whole snapshot: ~20x the cost of one config, so fewer inputs in the same time.
        var (count, seconds, seed) = FuzzCampaign.Settings(CiInputs / 10, CiSeconds);
        new FuzzCampaign("host-snapshot", seed).Run(count, seconds, (random, describe) =>
        {
            var (root, file) = files[random.Next(files.Length)];
            var mutations = ConfigMutation.Draw(random, 3);
            var input = $"{Path.GetRelativePath(dir.Path, file)} after {string.Join("; ", mutations)}";
            describe(input);
            var original = File.ReadAllBytes(file);
            var text = System.Text.Encoding.Latin1.GetString(original);
            foreach (var m in mutations) text = m.Apply(text);
            File.WriteAllBytes(file, System.Text.Encoding.Latin1.GetBytes(text));
            try
            {
                foreach (var run in new[] { CliRun.Of("host", "--root", root, "--json"), CliRun.Of("lint", "--host", root, config) })
                    Assert.True(run.ExitCode != 70, $"{input}: {run.Error}");
            }
            finally
            {
                File.WriteAllBytes(file, original);
            }
            return input;
        }).Assert();
    }
}
