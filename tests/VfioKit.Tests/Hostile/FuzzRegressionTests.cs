using VfioKit.Fixing;
using VfioKit.Linting;
using VfioKit.Formats;
using VfioKit.Rules;

namespace VfioKit.Tests.Hostile;

/// <summary>The inputs the fuzz campaigns found (seed 11), each reduced to what triggers it.</summary>
public class FuzzRegressionTests
{
    private static FixResult FixTwice(string name, string text, out string again)
    {
        var document = new ConfigDocument(name, text, ConfigFormatDetector.Detect(name, text));
        var result = Fixer.Fix(document, new FixOptions(Unsafe: true));
        again = Fixer.Fix(document with { Text = result.FixedText }, new FixOptions(Unsafe: true)).FixedText;
        return result;
    }

    /// <summary>qemu seed 11 input 239: moving a device whose options hold '&lt;' behind a new root port quoted it
    /// shell-style, and an argument file with a quoted line is no longer an argument file ("no QEMU command line").</summary>
    [Fact]
    public void Fix_never_writes_an_argument_file_that_lint_cannot_read_back()
    {
        const string args = "-M\nq35\n-m\n512\n-device\ne1000e,i</a>d=fn0,bus=pcie.0,addr=0x05.0,multifunction=on\n";
        var result = FixTwice("qemu.args", args, out var again);
        var fixedDocument = new ConfigDocument("qemu.args", result.FixedText, ConfigFormat.Qemu);
        Assert.NotNull(Linter.Lint(fixedDocument)); // throws InputException if it does not read back
        Assert.Equal(result.FixedText, again);
        Assert.DoesNotContain(result.Applied, f => f.RuleId == "VK102" && result.FixedText.Contains('"'));
    }

    /// <summary>libvirt seed 11 input 1278: a guest address without its slot attribute; VK103 (gather the functions
    /// in one slot) and VK105 (drop a lone multifunction=on) undid each other for all 64 rounds, and fixing the
    /// result again changed it again.</summary>
    [Fact]
    public void Fixes_that_undo_each_other_stop_at_a_fixed_point()
    {
        const string xml = """
            <domain type='kvm'>
              <name>gpu</name>
              <memory unit='KiB'>4194304</memory>
              <os><type arch='x86_64' machine='q35'>hvm</type></os>
              <cpu mode='host-passthrough'/>
              <devices>
                <hostdev mode='subsystem' type='pci' managed='yes'>
                  <source><address domain='0x0000' bus='0x0b' slot='0x00' function='0x0'/></source>
                  <address type='pci' domain='0x0000' bus='0x00' slotn='0x0' multifunction='on'/>
                </hostdev>
                <hostdev mode='subsystem' type='pci' managed='yes'>
                  <source><address domain='0x0000' bus='0x0b' slot='0x00' function='0x1'/></source>
                  <address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x1'/>
                </hostdev>
              </devices>
            </domain>
            """;
        var result = FixTwice("gpu.xml", xml, out var again);
        Assert.Equal(result.FixedText, again);
        Assert.NotEmpty(result.Declined);
        Assert.True(result.Applied.Count < 4, $"{result.Applied.Count} fixes applied: the cycle was not cut");
    }
}
