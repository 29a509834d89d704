using System.Text.Json;
using VfioKit.Fleet;
using VfioKit.Libvirt;
using VfioKit.Linting;
using VfioKit.Tests.Cli;
using VfioKit.Tests.Libvirt;

namespace VfioKit.Tests.Fleet;

/// <summary>`vfiokit fleet fix` over libvirt test-driver hosts (each connection its own copy of the node file, so a
/// define lasts as long as the connection: enough for define, read-back and check). The same redefinition against
/// the suite's libvirtd, faults included, is FixDefineOnLibvirtdTests'; fleet fix is not run against qemu:///system
/// because it would redefine every domain there, other tests' too.</summary>
public class FleetFixTests
{
    private const string Unreachable = "qemu+tcp://127.0.0.1:1/system";

    [Fact]
    public void Define_without_yes_is_refused_and_changes_nothing()
    {
        using var a = new TestDriverNode("a-win11");
        using var keep = new TempDirectory("vfiokit-fleetfix-");
        var run = CliRun.Of("fleet", "fix", "--connect", a.Uri, "--define", "--keep", keep.Path);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("vfiokit: --define: changes the definition of every domain that needs a fix on every host given: add --yes", run.Error);
        Assert.Empty(run.Out);
        Assert.Empty(Directory.EnumerateFileSystemEntries(keep.Path));
        Assert.Equal(2, CliRun.Of("fleet", "fix", "--connect", a.Uri, "--yes").ExitCode);
    }

    [Fact]
    public void Without_define_it_is_a_dry_run_naming_each_fix_and_the_unreachable_host()
    {
        using var a = new TestDriverNode("a-win11", "a-linux");
        var run = CliRun.Of("fleet", "fix", "--connect", a.Uri, "--connect", Unreachable, "--format", "json");
        Assert.Equal(3, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Out);
        Assert.False(doc.RootElement.GetProperty("define").GetBoolean());
        var hosts = doc.RootElement.GetProperty("hosts");
        var domains = hosts[0].GetProperty("domains").EnumerateArray().ToList();
        Assert.Equal(["a-linux", "a-win11"], domains.Select(d => d.GetProperty("name").GetString()));
        foreach (var d in domains)
        {
            Assert.Equal("would-change", d.GetProperty("outcome").GetString());
            Assert.Contains(d.GetProperty("fixed").EnumerateArray(), f => f.GetProperty("rule").GetString() == "VK102");
            Assert.Equal(JsonValueKind.Null, d.GetProperty("kept").ValueKind);
        }
        Assert.False(hosts[1].GetProperty("reached").GetBoolean());
        Assert.StartsWith($"{Unreachable}: cannot connect: ", hosts[1].GetProperty("error").GetString());
        Assert.Equal(2, doc.RootElement.GetProperty("totals").GetProperty("wouldChange").GetInt32());

        var text = CliRun.Of("fleet", "fix", "--connect", a.Uri);
        Assert.Equal(0, text.ExitCode);
        var line = text.Out.Split('\n').Single(l => l.StartsWith($"{a.Uri} a-win11: would fix ", StringComparison.Ordinal));
        Assert.Contains("VK102 line ", line);
        Assert.Contains("1 hosts (0 unreachable), 2 domains: 2 would change, 0 unchanged, 0 failed; a dry run: nothing was changed", text.Out);
    }

    [Fact]
    public void A_dry_run_reads_a_hosts_domains_several_at_once_and_reports_them_in_name_order_as_fixed_one_by_one()
    {
        string[] names = ["d7", "d2", "d9", "d1", "d5", "d3", "d8", "d4", "d6", "d0", "d11", "d10"];
        using var node = new TestDriverNode(names);
        var host = FleetFix.Host(node.Uri, new FixOptions(), define: false, keepDirectory: "");
        Assert.True(host.Reached, host.Error);
        Assert.Equal(names.Order(StringComparer.Ordinal), host.Domains.Select(d => d.Domain.Name));
        using var c = LibvirtConnection.Open(node.Uri, readOnly: true);
        foreach (var d in host.Domains)
        {
            Assert.Equal(FleetFixOutcome.WouldChange, d.Outcome);
            // What `fix DOMAIN --connect URI` makes of that domain alone.
            var alone = Fixer.Fix(LibvirtDocument.Of(c.Uri, d.Domain.Name, c.DomainXml(d.Domain.Uuid, inactive: true)), new FixOptions());
            Assert.Equal(alone.FixedText, d.Fix!.FixedText);
            Assert.Equal(alone.Applied.Select(f => f.RuleId), d.Fix.Applied.Select(f => f.RuleId));
        }
    }

    [Fact]
    public void Define_yes_defines_every_fixed_domain_keeps_the_old_xml_per_host_and_sums_up()
    {
        using var a = new TestDriverNode("a-win11");
        using var b = new TestDriverNode("b-win10", "b-linux");
        using var keep = new TempDirectory("vfiokit-fleetfix-");
        var run = CliRun.Of("fleet", "fix", "--connect", a.Uri, "--connect", b.Uri, "--define", "--yes", "--keep", keep.Path);
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        var keptA = Path.Combine(keep.Path, FleetFix.HostDirectory(a.Uri), "a-win11.before-fix.xml");
        var line = run.Out.Split('\n').Single(l => l.StartsWith($"{a.Uri} a-win11: defined, fixed ", StringComparison.Ordinal));
        Assert.Contains("VK102 line ", line);
        Assert.Contains($"old XML kept in {keptA}", line);
        Assert.Contains("<name>a-win11</name>", File.ReadAllText(keptA));
        Assert.DoesNotContain("pcie-root-port", File.ReadAllText(keptA));
        Assert.True(File.Exists(Path.Combine(keep.Path, FleetFix.HostDirectory(b.Uri), "b-linux.before-fix.xml")));
        Assert.Contains("2 hosts (0 unreachable), 3 domains: 3 defined, 0 unchanged, 0 rolled back, 0 failed", run.Out);
    }

    [Fact]
    public void The_host_directory_is_the_uri_with_only_safe_characters() =>
        Assert.Equal("qemu_ssh___root_gpu7_system", FleetFix.HostDirectory("qemu+ssh://root@gpu7/system"));
}
