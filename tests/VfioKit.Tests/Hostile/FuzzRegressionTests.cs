using VfioKit.Diagnostics;
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

    /// <summary>libvirt seed 11 input 8295: &lt;vcpu&gt;999992&lt;/vcpu&gt; with a cpuset made a pin entry per vCPU
    /// (551 MiB allocated for one file); a count no QEMU accepts is now an input error at its line.</summary>
    [Fact]
    public void A_vcpu_count_no_qemu_accepts_is_an_input_error_at_its_line()
    {
        const string xml = "<domain type='kvm'>\n  <name>v</name>\n  <vcpu placement='static' cpuset='0-1'>999992</vcpu>\n  <os><type machine='q35'>hvm</type></os>\n</domain>\n";
        var document = new ConfigDocument("big.xml", xml, ConfigFormat.Libvirt);
        var error = Assert.Throws<InputException>(() => Linter.Lint(document));
        Assert.StartsWith("big.xml:3:", error.Describe());
        Assert.Contains("999992", error.Message);
        var fine = new ConfigDocument("ok.xml", xml.Replace("999992", "4096"), ConfigFormat.Libvirt);
        Assert.NotNull(Linter.Lint(fine));
    }

    /// <summary>The same bound where QEMU and Proxmox give the count: VK204 walks vCPU pairs and the report draws a
    /// thread per vCPU, so `-smp 999999999` or `sockets × cores` that large must stop at the reader too.</summary>
    [Theory]
    [InlineData("vm.sh", "qemu-system-x86_64 -M q35 \\\n  -smp 999999999,threads=2 \\\n  -m 1G\n", "vm.sh:2", "-smp 999999999")]
    [InlineData("100.conf", "machine: q35\nsockets: 65536\ncores: 65536\nmemory: 1024\n", "100.conf:3", "sockets x cores: 4294967296")]
    [InlineData("101.conf", "machine: q35\nvcpus: 5000\ncores: 8\n", "101.conf:2", "vcpus: 5000")]
    public void A_vcpu_count_no_qemu_accepts_is_an_input_error_in_every_format(string name, string text, string at, string what)
    {
        var document = new ConfigDocument(name, text, ConfigFormatDetector.Detect(name, text));
        var error = Assert.Throws<InputException>(() => Linter.Lint(document));
        Assert.StartsWith(at + ":", error.Describe());
        Assert.Contains(what, error.Message);
    }
}
