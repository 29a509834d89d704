using System.Text;
using System.Text.Json;
using VfioKit.Tests.Cli;
using VfioKit.Tests.Fixing;

namespace VfioKit.Tests.Rules;

/// <summary>`vfiokit lint` as a user runs it: text, JSON and SARIF, exit codes, and bad input.</summary>
public class LintCliTests : IDisposable
{
    private readonly List<TempDirectory> _temps = [];

    public void Dispose()
    {
        foreach (var t in _temps) t.Dispose();
    }

    private static string Seed => TestPaths.DataFile("configs", "seed-ioh3420.sh");

    [Fact]
    public void Text_output_is_file_line_severity_rule_message_with_why_and_a_summary()
    {
        var run = CliRun.Of("lint", Seed);
        Assert.Equal(1, run.ExitCode);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith($"{Seed}:7: warning VK108: ", StringComparison.Ordinal) || l.StartsWith($"{Seed}:8: warning VK108: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("    why: ", StringComparison.Ordinal));
        Assert.Matches(@"^1 file: 0 errors, \d+ warnings, \d+ info; \d+ fixable with `vfiokit fix`", lines[^1]);
    }

    [Fact]
    public void Json_output_has_the_documented_fields()
    {
        var run = CliRun.Of("lint", Seed, "--format", "json");
        Assert.Equal(1, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Out);
        var findings = doc.RootElement.GetProperty("findings");
        Assert.True(findings.GetArrayLength() > 0);
        foreach (var f in findings.EnumerateArray())
        {
            Assert.Matches("^VK[0-9]{3}$", f.GetProperty("rule").GetString());
            Assert.Contains(f.GetProperty("severity").GetString(), new[] { "error", "warning", "info" });
            Assert.False(string.IsNullOrEmpty(f.GetProperty("message").GetString()));
            Assert.Equal(Seed, f.GetProperty("file").GetString());
            Assert.True(f.GetProperty("line").GetInt32() > 0);
            Assert.True(f.GetProperty("fixable").ValueKind is JsonValueKind.True or JsonValueKind.False);
        }
        Assert.Contains(findings.EnumerateArray(), f => f.GetProperty("rule").GetString() == "VK108" && f.GetProperty("fixable").GetBoolean());
        Assert.Equal(1, doc.RootElement.GetProperty("summary").GetProperty("files").GetInt32());
    }

    [Fact]
    public void Sarif_output_is_sarif_2_1_0_with_rules_results_and_locations()
    {
        var run = CliRun.Of("lint", Seed, "--format", "sarif");
        Assert.Equal(1, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Out);
        var root = doc.RootElement;
        Assert.Equal("2.1.0", root.GetProperty("version").GetString());
        Assert.Contains("sarif-2.1.0", root.GetProperty("$schema").GetString());
        var sarifRun = root.GetProperty("runs")[0];
        var rules = sarifRun.GetProperty("tool").GetProperty("driver").GetProperty("rules");
        Assert.Equal("vfiokit", sarifRun.GetProperty("tool").GetProperty("driver").GetProperty("name").GetString());
        foreach (var result in sarifRun.GetProperty("results").EnumerateArray())
        {
            var id = result.GetProperty("ruleId").GetString();
            Assert.Equal(id, rules[result.GetProperty("ruleIndex").GetInt32()].GetProperty("id").GetString());
            Assert.Contains(result.GetProperty("level").GetString(), new[] { "error", "warning", "note" });
            var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
            Assert.Equal(Seed, location.GetProperty("artifactLocation").GetProperty("uri").GetString());
            Assert.True(location.GetProperty("region").GetProperty("startLine").GetInt32() > 0);
        }
    }

    [Theory]
    [InlineData("error", 0)]
    [InlineData("warning", 1)]
    [InlineData("info", 1)]
    [InlineData("none", 0)]
    public void Fail_on_sets_the_threshold_of_exit_code_1(string threshold, int expected)
    {
        // The seed script has warnings and infos but no error.
        Assert.Equal(expected, CliRun.Of("lint", Seed, "--fail-on", threshold).ExitCode);
    }

    [Fact]
    public void A_clean_configuration_exits_0()
    {
        using var temp = new TempDirectory("vfiokit-clean-");
        var path = Path.Combine(temp.Path, "vm.conf");
        File.WriteAllText(path, "bios: ovmf\ncpu: host\nhostpci0: 0000:0b:00,pcie=1\nhugepages: 1024\nmachine: q35\nmemory: 16384\nostype: win11\n");
        var run = CliRun.Of("lint", path);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("1 file: no findings\n", run.Out);
    }

    [Fact]
    public void Truncated_xml_is_bad_input_naming_file_and_line()
    {
        var text = File.ReadAllText(TestPaths.DataFile("configs", "seed-libvirt-ioh3420.xml"));
        var path = Temp("truncated.xml", text[..(text.Length / 2)]);
        var run = CliRun.Of("lint", path);
        Assert.Equal(2, run.ExitCode);
        Assert.Matches($"^vfiokit: {System.Text.RegularExpressions.Regex.Escape(path)}:\\d+(:\\d+)?: malformed XML", run.Error);
    }

    [Fact]
    public void Binary_garbage_is_bad_input_and_fix_writes_nothing()
    {
        var bytes = new byte[4096];
        new Random(5).NextBytes(bytes);
        using var temp = new TempDirectory("vfiokit-garbage-");
        var dir = temp.Path;
        var path = Path.Combine(dir, "vm.conf");
        File.WriteAllBytes(path, bytes);
        var lint = CliRun.Of("lint", path);
        Assert.Equal(2, lint.ExitCode);
        Assert.Matches($"^vfiokit: {System.Text.RegularExpressions.Regex.Escape(path)}:\\d+: ", lint.Error);
        var fix = CliRun.Of("fix", path, "--write");
        Assert.Equal(2, fix.ExitCode);
        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.Equal(["vm.conf"], Directory.GetFiles(dir).Select(f => Path.GetFileName(f)!).ToArray());
    }

    [Fact]
    public void A_10_MB_file_is_bad_input_and_nothing_is_written()
    {
        using var temp = new TempDirectory("vfiokit-big-");
        var dir = temp.Path;
        var path = Path.Combine(dir, "vm.sh");
        var line = "  -device vfio-pci,host=0000:0b:00.0,bus=pcie.0 \\\n";
        var sb = new StringBuilder("qemu-system-x86_64 -M q35 \\\n");
        while (sb.Length < 10 * 1024 * 1024) sb.Append(line);
        File.WriteAllText(path, sb.ToString());
        var fix = CliRun.Of("fix", path, "--write");
        Assert.Equal(2, fix.ExitCode);
        Assert.Contains($"{path}: ", fix.Error); // the file, not a line: the size is refused before a byte is read
        Assert.Contains("too large", fix.Error);
        Assert.Single(Directory.GetFiles(dir));
    }

    [Fact]
    public void A_missing_file_and_a_bad_resolution_are_bad_input()
    {
        Assert.Equal(2, CliRun.Of("lint", "/nonexistent/vm.xml").ExitCode);
        var run = CliRun.Of("lint", Seed, "--resolution", "big");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--resolution", run.Error);
    }

    [Fact]
    public void Resolution_makes_VK205_check_the_looking_glass_size()
    {
        var path = Temp("lg.sh", "qemu-system-x86_64 -M q35 -cpu host \\\n  -object memory-backend-file,id=lg,mem-path=/dev/shm/looking-glass,size=32M,share=on \\\n  -device ivshmem-plain,memdev=lg\n");
        Assert.DoesNotContain("VK205", CliRun.Of("lint", path, "--resolution", "1920x1080").Out);
        var run = CliRun.Of("lint", path, "--resolution", "2560x1440");
        Assert.Contains("VK205", run.Out);
        Assert.Contains("less than the 64 MiB 2560x1440 needs", run.Out);
        Assert.Contains("size=64M", CliRun.Of("fix", path, "--resolution", "2560x1440").Out);
    }

    [Fact]
    public void Romfile_is_checked_against_this_machine_with_host_root()
    {
        var path = Temp("rom.sh", "qemu-system-x86_64 -M q35 -cpu host \\\n  -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 \\\n  -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0,romfile=/nonexistent/gpu.rom\n");
        Assert.DoesNotContain("VK207", CliRun.Of("lint", path).Out);
        var run = CliRun.Of("lint", path, "--host", "/");
        Assert.Contains(": error VK207: ", run.Out);
        Assert.Equal(1, run.ExitCode);
    }

    private string Temp(string name, string text)
    {
        var temp = new TempDirectory("vfiokit-lint-");
        _temps.Add(temp);
        var path = temp.File(name);
        File.WriteAllText(path, text);
        return path;
    }
}
