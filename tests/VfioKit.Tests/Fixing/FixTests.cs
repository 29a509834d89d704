using VfioKit.Fixing;
using VfioKit.Formats;
using VfioKit.Rules;
using VfioKit.Tests.Cli;
using VfioKit.Linting;

namespace VfioKit.Tests.Fixing;

/// <summary>`fix` on every rule's bad example and on the seed's configurations: what changes, what does not, and the real validators' verdict.</summary>
public class FixTests
{
    /// <summary>This machine's file system, for VK207's examples (a missing ROM path).</summary>
    private static readonly IHostFiles LocalFiles = new ThisMachine();

    private sealed class ThisMachine : IHostFiles
    {
        public bool IsReadable(string path) => File.Exists(path);
    }

    public static TheoryData<string, int> BadExamples()
    {
        var data = new TheoryData<string, int>();
        foreach (var r in RuleCatalog.All)
            for (var i = 0; i < r.Examples.Count; i++) data.Add(r.Descriptor.Id, i);
        return data;
    }

    /// <summary>Only the libvirt examples: virt-xml-validate has nothing to say about the others.</summary>
    public static TheoryData<string, int> LibvirtBadExamples()
    {
        var data = new TheoryData<string, int>();
        foreach (var r in RuleCatalog.All)
            for (var i = 0; i < r.Examples.Count; i++)
                if (r.Examples[i].Format == ConfigFormat.Libvirt) data.Add(r.Descriptor.Id, i);
        return data;
    }

    /// <summary>
    /// Where the rule claims a fix in the example's format (<see cref="RuleDescriptor.FixFormats"/>), its finding
    /// carries one and fixing removes it; where it claims none, no finding of it carries a fix.
    /// </summary>
    [Theory]
    [MemberData(nameof(BadExamples))]
    public void Fixing_a_bad_example_leaves_no_fixable_finding_and_is_idempotent(string id, int index)
    {
        var rule = RuleCatalog.Find(id)!;
        var example = rule.Examples[index];
        var doc = new ConfigDocument("bad", example.Bad, example.Format);
        var options = new FixOptions(Unsafe: true, Host: example.Host, Files: LocalFiles);
        var once = Fixer.Fix(doc, options);
        var after = Linter.Lint(doc with { Text = once.FixedText }, host: example.Host, files: LocalFiles);
        Assert.Empty(after.Fixable(includeUnsafe: true));
        var twice = Fixer.Fix(doc with { Text = once.FixedText }, options);
        Assert.Equal(once.FixedText, twice.FixedText);
        var before = Linter.Lint(doc, host: example.Host, files: LocalFiles).Findings.Where(f => f.RuleId == id).ToList();
        Assert.NotEmpty(before);
        if (rule.Descriptor.FixFormats.Includes(example.Format))
        {
            Assert.True(before.All(f => f.Fixable), $"{id} claims a fix for {example.Format.Name()} but its finding has none");
            Assert.DoesNotContain(after.Findings, f => f.RuleId == id);
        }
        else
            Assert.True(before.All(f => !f.Fixable), $"{id} claims no fix for {example.Format.Name()} but its finding has one");
    }

    [Theory]
    [MemberData(nameof(LibvirtBadExamples))]
    public void A_fixed_domain_xml_passes_virt_xml_validate(string id, int index)
    {
        var example = RuleCatalog.Find(id)!.Examples[index];
        Assert.Equal(ConfigFormat.Libvirt, example.Format);
        var fixedText = Fixer.Fix(new ConfigDocument("bad.xml", example.Bad, example.Format), new FixOptions(Unsafe: true, Host: example.Host, Files: LocalFiles)).FixedText;
        using var temp = new TempDirectory("vfiokit-fix-");
        var path = temp.File("domain.xml");
        File.WriteAllText(path, fixedText);
        var (code, output) = ToolRun.Of("virt-xml-validate", path, "domain");
        Assert.True(code == 0, $"{id}: virt-xml-validate refused the fixed XML:\n{output}\n{fixedText}");
    }

    [Fact]
    public void Xml_fix_changes_only_the_named_bytes()
    {
        var path = TestPaths.DataFile("configs", "virt-manager-port-per-function.xml");
        var text = File.ReadAllText(path);
        var result = Fixer.Fix(new ConfigDocument(path, text, ConfigFormat.Libvirt), new FixOptions());
        Assert.Equal([RuleIds.FunctionsSplitAcrossSlots], result.Applied.Select(f => f.RuleId));
        var before = text.Split('\n');
        var after = result.FixedText.Split('\n');
        Assert.Equal(before.Length, after.Length);
        var changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToList();
        // The GPU's address gains multifunction='on'; the audio function moves to bus 0x01 function 1.
        Assert.Equal(2, changed.Count);
        Assert.Equal("      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0' multifunction='on'/>", after[changed[0]]);
        Assert.Equal("      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x1'/>", after[changed[1]]);
    }

    [Fact]
    public void Script_fix_keeps_untouched_lines_comments_and_continuations()
    {
        var path = TestPaths.DataFile("configs", "seed-ioh3420.sh");
        var text = File.ReadAllText(path);
        var result = Fixer.Fix(new ConfigDocument(path, text, ConfigFormat.Qemu), new FixOptions());
        var before = text.Split('\n');
        var after = result.FixedText.Split('\n');
        Assert.Equal(before.Length, after.Length);
        for (var i = 0; i < before.Length; i++)
        {
            if (before[i] == after[i]) continue;
            // A changed line keeps its indentation and its continuation backslash.
            Assert.Equal(before[i].Length - before[i].TrimStart().Length, after[i].Length - after[i].TrimStart().Length);
            Assert.Equal(before[i].EndsWith('\\'), after[i].EndsWith('\\'));
        }
        Assert.Contains("-device pcie-root-port,id=root_port1,chassis=0,slot=0,bus=pcie.0 \\", result.FixedText);
        Assert.DoesNotContain("x-vga", result.FixedText);
        Assert.StartsWith("#!/bin/bash\n# The seed's launch script", result.FixedText);
    }

    [Fact]
    public void Independent_fixes_of_one_lint_and_a_new_root_port_after_them_give_the_rounds_one_fix_at_a_time_gives()
    {
        // Two x-vga removals lead the report (a batch, linted once); then a GPU on pcie.0 needs a new port (its own
        // round), after which its own x-vga goes. The text and the fixes reported are those of one fix per round
        // (checked against the binary before batching, main c75d54c, byte for byte).
        const string script = """
            #!/bin/bash
            qemu-system-x86_64 -machine q35 -cpu host -m 8G \
              -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 \
              -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0,x-vga=on \
              -device pcie-root-port,id=rp2,chassis=2,slot=2,bus=pcie.0 \
              -device "vfio-pci,host=0000:0c:00.0,bus=rp2,addr=0x0,x-vga=on" \
              -device vfio-pci,host=0000:0d:00.0,bus=pcie.0,x-vga=on

            """;
        var result = Fixer.Fix(new ConfigDocument("vm.sh", script, ConfigFormat.Qemu), new FixOptions());
        Assert.Equal("""
            #!/bin/bash
            qemu-system-x86_64 -machine q35 -cpu host -m 8G \
              -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 \
              -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0 \
              -device pcie-root-port,id=rp2,chassis=2,slot=2,bus=pcie.0 \
              -device "vfio-pci,host=0000:0c:00.0,bus=rp2,addr=0x0" \
              -device pcie-root-port,id=vfiokit-rp1,chassis=3,slot=3,bus=pcie.0,addr=0x6 \
              -device vfio-pci,host=0000:0d:00.0,bus=vfiokit-rp1,addr=0x0.0x0

            """, result.FixedText);
        Assert.Equal(
            ["5 VK112 remove x-vga from vfio-pci", "7 VK112 remove x-vga from vfio-pci",
             "8 VK102 add pcie-root-port vfiokit-rp1 and move vfio-pci behind it", "8 VK112 remove x-vga from vfio-pci"],
            result.Applied.Select(f => $"{f.Location.Line} {f.RuleId} {f.Fix!.Title}"));
        Assert.Empty(result.Declined);
        var after = Linter.Lint(new ConfigDocument("vm.sh", result.FixedText, ConfigFormat.Qemu));
        Assert.Equal(result.Remaining.Select(f => f.Message), after.Findings.Select(f => f.Message));
        Assert.DoesNotContain(after.Findings, f => f.RuleId is RuleIds.XVgaWithUefi or RuleIds.PcieDeviceOnRootBus);
        // A fixed point: fixing again changes nothing.
        Assert.False(Fixer.Fix(new ConfigDocument("vm.sh", result.FixedText, ConfigFormat.Qemu), new FixOptions()).Changed);
    }

    [Fact]
    public void A_gpu_on_pcie0_moves_behind_a_new_root_port_in_a_script()
    {
        var path = TestPaths.DataFile("configs", "seed-pcie0.sh");
        var text = File.ReadAllText(path);
        var result = Fixer.Fix(new ConfigDocument(path, text, ConfigFormat.Qemu), new FixOptions());
        Assert.Contains(result.Applied, f => f.RuleId == RuleIds.PcieDeviceOnRootBus);
        // addr=0x3: the first root-bus slot neither the GPU (0x5) nor the machine's own VGA (0x1) and NIC (0x2) use.
        Assert.Contains("  -device pcie-root-port,id=vfiokit-rp1,chassis=1,slot=1,bus=pcie.0,addr=0x3 \\\n  -device vfio-pci,host=$NVIDIA.0,bus=vfiokit-rp1,addr=0x0.0x0,multifunction=on", result.FixedText);
        Assert.Contains("-device vfio-pci,host=$NVIDIA.1,bus=vfiokit-rp1,addr=0x0.0x1", result.FixedText);
        var after = Linter.Lint(new ConfigDocument(path, result.FixedText, ConfigFormat.Qemu));
        Assert.DoesNotContain(after.Findings, f => f.RuleId is RuleIds.PcieDeviceOnRootBus or RuleIds.MultifunctionMissing);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Write_replaces_the_file_keeps_a_backup_and_the_permissions()
    {
        using var temp = new TempDirectory("vfiokit-write-");
        var dir = temp.Path;
        var path = Path.Combine(dir, "vm.xml");
        var original = File.ReadAllText(TestPaths.DataFile("configs", "seed-libvirt-ioh3420.xml"));
        File.WriteAllText(path, original);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var run = CliRun.Of("fix", path, "--write");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Equal(original, File.ReadAllText(path + ".bak"));
        Assert.NotEqual(original, File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(["vm.xml", "vm.xml.bak"], Directory.GetFiles(dir).Select(f => Path.GetFileName(f)!).Order().ToArray());
        Assert.Equal(0, ToolRun.Of("virt-xml-validate", path, "domain").ExitCode);
        // Fixing the fixed file changes nothing.
        var again = CliRun.Of("fix", path);
        Assert.Equal(File.ReadAllText(path), again.Out);
    }

    [Fact]
    public void Diff_is_a_unified_diff_that_patch_applies()
    {
        using var temp = new TempDirectory("vfiokit-diff-");
        var dir = temp.Path;
        var path = Path.Combine(dir, "seed.sh");
        File.Copy(TestPaths.DataFile("configs", "seed-ioh3420.sh"), path);
        var diff = CliRun.Of("fix", path, "--diff");
        Assert.Equal(0, diff.ExitCode);
        Assert.StartsWith($"--- a/{path}\n+++ b/{path}\n@@ ", diff.Out);
        var patchFile = Path.Combine(dir, "fix.patch");
        File.WriteAllText(patchFile, diff.Out);
        var copy = Path.Combine(dir, "copy.sh");
        File.Copy(path, copy);
        var (code, output) = ToolRun.Of("patch", "--quiet", copy, patchFile);
        Assert.True(code == 0, output);
        Assert.Equal(CliRun.Of("fix", path).Out, File.ReadAllText(copy));
    }

    [Fact]
    public void Applied_fixes_point_at_the_lines_lint_reported_in_the_original()
    {
        var path = TestPaths.DataFile("configs", "seed-libvirt-ioh3420.xml");
        var doc = new ConfigDocument(path, File.ReadAllText(path), ConfigFormat.Libvirt);
        var lint = Linter.Lint(doc).Findings.Where(f => f.Fixable).Select(f => (f.RuleId, f.Location.Line)).Order().ToList();
        var applied = Fixer.Fix(doc, new FixOptions()).Applied.Select(f => (f.RuleId, f.Location.Line)).Order().ToList();
        Assert.Equal(2, applied.Count);
        Assert.Equal(lint, applied);
    }

    [Fact]
    public void Unsafe_fixes_wait_for_the_flag()
    {
        var example = new Vk101PassthroughOnI440fx().Examples.First(e => e.Format == ConfigFormat.Qemu);
        var safe = Fixer.Fix(new ConfigDocument("vm.sh", example.Bad, ConfigFormat.Qemu), new FixOptions());
        Assert.Contains("-machine pc", safe.FixedText);
        Assert.Contains(safe.Remaining, f => f.RuleId == RuleIds.PassthroughOnI440fx && f.Fix!.Unsafe);
        var risky = Fixer.Fix(new ConfigDocument("vm.sh", example.Bad, ConfigFormat.Qemu), new FixOptions(Unsafe: true));
        Assert.Contains("-machine q35", risky.FixedText);
        // Then, on q35, the device gets its root port in a later round.
        Assert.Contains("pcie-root-port", risky.FixedText);
    }
    /// <summary>A device placed on i440fx's root bus by name (bus=pci.0, the corpus's aiminickwong script): the
    /// q35 fix renames the bus, since QEMU on q35 stops with "Bus 'pci.0' not found".</summary>
    [Fact]
    public void The_q35_fix_moves_a_device_named_on_pci_0_to_pcie_0()
    {
        const string script = "qemu-system-x86_64 -m 4096 \\\n -device vfio-pci,host=01:00.0 \\\n -device virtio-scsi-pci,id=scsi,bus=pci.0,addr=0x6\n";
        var result = Fixer.Fix(new ConfigDocument("vm.sh", script, ConfigFormat.Qemu), new FixOptions(Unsafe: true));
        Assert.Contains("-machine q35", result.FixedText);
        Assert.Contains("virtio-scsi-pci,id=scsi,bus=pcie.0,addr=0x6", result.FixedText);
        Assert.DoesNotContain("bus=pci.0", result.FixedText);
        var relint = Linter.Lint(new ConfigDocument("vm.sh", result.FixedText, ConfigFormat.Qemu));
        Assert.DoesNotContain(relint.Findings, f => f.RuleId is RuleIds.PassthroughOnI440fx or RuleIds.UnknownBus);
        Assert.Equal("q35", VmConfigFile.Parse("vm.sh", result.FixedText).Topology.Machine.Type);
    }
}
