using System.Text;
using VfioKit.Fixing;
using VfioKit.Formats;
using VfioKit.Rules;
using VfioKit.Tests.Cli;
using VfioKit.Tests.Fixing;
using VfioKit.Linting;
using VfioKit.Edits;

namespace VfioKit.Tests.Hostile;

/// <summary>
/// fix writes only what it (and QEMU, libvirt, qemu-server) can read back: the output re-lints without the
/// fixed findings, stays in the format of the input, keeps values in range, and a second fix changes nothing.
/// </summary>
public class FixReadBackTests
{
    private static FixResult Fix(string path, string text, bool unsafeFixes = false) =>
        Fixer.Fix(new ConfigDocument(path, text, ConfigFormatDetector.Detect(path, text)), new FixOptions(unsafeFixes));

    private static void AssertReadsBack(FixResult result)
    {
        var again = Linter.Lint(result.Original with { Text = result.FixedText });
        foreach (var f in result.Applied)
            Assert.DoesNotContain(again.Findings, g => g.RuleId == f.RuleId && g.Fixable);
        var twice = Fixer.Fix(result.Original with { Text = result.FixedText }, new FixOptions());
        Assert.Equal(result.FixedText, twice.FixedText);
    }

    [Fact]
    public void Cpu_host_goes_into_an_argument_file_as_two_lines()
    {
        var text = "-machine\nq35\n-m\n8192\n-device\npcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0\n-device\nvfio-pci,host=0b:00.0,bus=rp1,addr=0x0\n";
        var result = Fix("vm.args", text);
        Assert.Contains(result.Applied, f => f.RuleId == "VK206");
        Assert.StartsWith("-cpu\nhost\n-machine\nq35\n", result.FixedText);
        Assert.NotNull(VfioKit.Formats.Qemu.ArgsFile.TryRead(result.FixedText, "vm.args"));
        AssertReadsBack(result);
    }

    [Fact]
    public void A_new_root_port_takes_a_chassis_QEMU_accepts_when_255_is_used()
    {
        var text = "#!/bin/sh\nqemu-system-x86_64 -machine q35 -cpu host -m 8192 -mem-prealloc \\\n" +
                   "  -device pcie-root-port,id=rp9,chassis=255,slot=9,bus=pcie.0 \\\n" +
                   "  -device vfio-pci,host=0b:00.0,bus=pcie.0,addr=0x10\n";
        var result = Fix("vm.sh", text);
        Assert.Contains(result.Applied, f => f.RuleId == "VK102");
        Assert.Contains("pcie-root-port,id=vfiokit-rp1,chassis=1,slot=1,bus=pcie.0", result.FixedText);
        Assert.DoesNotContain("chassis=256", result.FixedText);
        AssertReadsBack(result);
        Assert.Equal(0, ToolRun.Of("bash", "-n", "-c", result.FixedText).ExitCode);
    }

    [Fact]
    public void A_new_libvirt_controller_takes_an_index_libvirt_accepts_when_255_is_used()
    {
        var xml = """
            <domain type='kvm'>
              <name>win</name>
              <memory unit='KiB'>8388608</memory>
              <os><type arch='x86_64' machine='pc-q35-8.1'>hvm</type></os>
              <cpu mode='host-passthrough'/>
              <devices>
                <controller type='pci' index='0' model='pcie-root'/>
                <controller type='pci' index='255' model='pcie-root-port'/>
                <hostdev mode='subsystem' type='pci' managed='yes'>
                  <source><address domain='0x0000' bus='0x0b' slot='0x00' function='0x0'/></source>
                  <address type='pci' domain='0x0000' bus='0x00' slot='0x10' function='0x0'/>
                </hostdev>
              </devices>
            </domain>
            """;
        var result = Fix("vm.xml", xml);
        Assert.Contains(result.Applied, f => f.RuleId == "VK102");
        Assert.Contains("<controller type='pci' index='1' model='pcie-root-port' />", result.FixedText);
        Assert.DoesNotContain("index='256'", result.FixedText);
        Assert.DoesNotContain("bus='0x100'", result.FixedText);
        AssertReadsBack(result);
    }

    [Theory]
    [InlineData("proxmox-q35-gpu.conf")]
    [InlineData("seed-ioh3420.sh")]
    [InlineData("seed-libvirt-ioh3420.xml")]
    [InlineData("virt-manager-port-per-function.xml")]
    public void A_file_with_a_UTF8_byte_order_mark_is_fixed_and_keeps_the_mark(string name)
    {
        using var dir = new TempDirectory("vk-bom");
        var path = dir.File(name);
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. File.ReadAllBytes(TestPaths.DataFile("configs", name))]);
        var withoutMark = CliRun.Of("fix", TestPaths.DataFile("configs", name));

        var run = CliRun.Of("fix", path);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("\uFEFF" + withoutMark.Out, run.Out);
        Assert.Contains(" fixed", run.Error);
    }

    [Fact]
    public void A_diff_of_a_large_config_changed_at_both_ends_is_exact_and_small_in_memory()
    {
        using var dir = new TempDirectory("vk-diff");
        // 20,000 lines whose first and last change: the middle is all of the file (the old LCS table: 1.6 GB).
        var lines = Enumerable.Range(0, 20_000).Select(i => $"#line {i} of a long description\n").ToArray();
        var oldText = string.Concat(lines);
        lines[0] = "#changed first\n";
        lines[^1] = "#changed last\n";
        var newText = string.Concat(lines) + "added: 1\n";

        var before = GC.GetAllocatedBytesForCurrentThread();
        var diff = UnifiedDiff.Of(oldText, newText, "a/vm.conf", "b/vm.conf");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 64L << 20, $"allocated {allocated / 1024 / 1024} MB");

        File.WriteAllText(dir.File("vm.conf"), oldText);
        File.WriteAllText(dir.File("vm.diff"), diff);
        var patch = ToolRun.Of("patch", "-s", dir.File("vm.conf"), dir.File("vm.diff"));
        Assert.Equal(0, patch.ExitCode);
        Assert.Equal(newText, File.ReadAllText(dir.File("vm.conf")));
        Assert.Equal(2, diff.Split('\n').Count(l => l.StartsWith("@@", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_diff_matches_GNU_diff_on_scattered_changes()
    {
        using var dir = new TempDirectory("vk-diff");
        var rnd = new Random(11);
        var oldLines = Enumerable.Range(0, 400).Select(i => $"k{i}: v{rnd.Next(5)}\n").ToList();
        var newLines = oldLines.ToList();
        for (var i = 0; i < 30; i++)
        {
            var at = rnd.Next(newLines.Count);
            switch (rnd.Next(3))
            {
                case 0: newLines.RemoveAt(at); break;
                case 1: newLines.Insert(at, $"new{i}: x\n"); break;
                default: newLines[at] = $"changed{i}: y\n"; break;
            }
        }
        string oldText = string.Concat(oldLines), newText = string.Concat(newLines);
        var diff = UnifiedDiff.Of(oldText, newText, "a/vm.conf", "b/vm.conf");
        File.WriteAllText(dir.File("vm.conf"), oldText);
        File.WriteAllText(dir.File("vm.diff"), diff);
        Assert.Equal(0, ToolRun.Of("patch", "-s", dir.File("vm.conf"), dir.File("vm.diff")).ExitCode);
        Assert.Equal(newText, File.ReadAllText(dir.File("vm.conf")));
        // Myers' diff is minimal: as many changed lines as GNU diff finds.
        File.WriteAllText(dir.File("old"), oldText);
        File.WriteAllText(dir.File("new"), newText);
        var gnu = ToolRun.Of("diff", "-u", dir.File("old"), dir.File("new")).Output;
        static int Changed(string d) => d.Split('\n').Count(l => l.Length > 0 && (l[0] == '+' || l[0] == '-') && !l.StartsWith("+++", StringComparison.Ordinal) && !l.StartsWith("---", StringComparison.Ordinal));
        Assert.Equal(Changed(gnu), Changed(diff));
    }
}
