using System.Text.Json;
using VfioKit.Tests.Cli;
using VfioKit.Tests.Libvirt;

namespace VfioKit.Tests.Fleet;

/// <summary>`vfiokit fleet lint` over several libvirt hosts (test-driver node files), one of them unreachable.</summary>
public class FleetLintTests
{
    private const string Unreachable = "qemu+tcp://127.0.0.1:1/system";

    [Fact]
    public void Every_host_is_reported_and_an_unreachable_one_does_not_stop_the_others()
    {
        using var a = new TestDriverNode("a-win11", "a-linux");
        using var b = new TestDriverNode("b-win10");
        var run = CliRun.Of("fleet", "lint", "--connect", a.Uri, "--connect", Unreachable, "--connect", b.Uri, "--connections", "2");
        Assert.Equal(3, run.ExitCode);
        var lines = run.Out.Split('\n');
        // Summary: host x severity x rule, most severe first; VK102 fires per function on pcie.0 (two per domain).
        Assert.Contains(lines, l => l.StartsWith(a.Uri, StringComparison.Ordinal) && l.Contains("warning") && l.Contains("VK102") && l.TrimEnd().EndsWith(" 4", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith(b.Uri, StringComparison.Ordinal) && l.Contains("VK102") && l.TrimEnd().EndsWith(" 2", StringComparison.Ordinal));
        Assert.Contains($"{Unreachable}: unreachable: {Unreachable}: cannot connect: ", run.Out);
        Assert.Contains($"{a.Uri} a-win11 (", run.Out);
        Assert.Contains($"{b.Uri} b-win10 (", run.Out);
        Assert.Contains("3 hosts (1 unreachable), 3 domains:", run.Out);
    }

    [Fact]
    public void Json_has_every_host_domain_and_finding_and_the_summary_counts()
    {
        using var a = new TestDriverNode("a-win11", "a-linux");
        var run = CliRun.Of("fleet", "lint", "--connect", a.Uri, "--connect", Unreachable, "--format", "json");
        Assert.Equal(3, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Out);
        var hosts = doc.RootElement.GetProperty("hosts");
        Assert.Equal(2, hosts.GetArrayLength());
        Assert.True(hosts[0].GetProperty("reached").GetBoolean());
        Assert.Equal(["a-linux", "a-win11"], hosts[0].GetProperty("domains").EnumerateArray().Select(d => d.GetProperty("name").GetString()));
        Assert.Contains(hosts[0].GetProperty("domains")[0].GetProperty("findings").EnumerateArray(), f => f.GetProperty("rule").GetString() == "VK102");
        Assert.False(hosts[1].GetProperty("reached").GetBoolean());
        Assert.StartsWith(Unreachable, hosts[1].GetProperty("error").GetString());
        var vk102 = doc.RootElement.GetProperty("summary").EnumerateArray().Single(r => r.GetProperty("rule").GetString() == "VK102");
        Assert.Equal(a.Uri, vk102.GetProperty("host").GetString());
        Assert.Equal(4, vk102.GetProperty("count").GetInt32()); // two functions on pcie.0 in each of two domains
        Assert.Equal(1, doc.RootElement.GetProperty("totals").GetProperty("unreachable").GetInt32());
    }

    [Fact]
    public void A_connect_file_lists_uris_and_the_exit_code_follows_fail_on_as_lints()
    {
        using var a = new TestDriverNode("a-win11");
        using var b = new TestDriverNode("b-win10");
        using var dir = new TempDirectory("vfiokit-fleet-");
        var file = dir.File("hosts");
        File.WriteAllText(file, $"# GPU hosts\n{a.Uri}\n\n  {b.Uri}  \n");
        var findings = CliRun.Of("fleet", "lint", "--connect-file", file);
        Assert.Equal(1, findings.ExitCode);
        Assert.Contains("2 hosts (0 unreachable), 2 domains:", findings.Out);
        Assert.Equal(0, CliRun.Of("fleet", "lint", "--connect-file", file, "--fail-on", "none").ExitCode);
        Assert.Equal(0, CliRun.Of("fleet", "lint", "--connect-file", file, "--fail-on", "error").ExitCode);
    }

    [Fact]
    public void Bad_pool_size_and_missing_connect_file_are_bad_input()
    {
        Assert.Equal(2, CliRun.Of("fleet", "lint", "--connect", "test:///default", "--connections", "0").ExitCode);
        var missing = CliRun.Of("fleet", "lint", "--connect-file", "/nonexistent/hosts");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("/nonexistent/hosts: no such file", missing.Error);
    }

    [Fact]
    public void Without_connect_fleet_lints_libvirts_default_uri_and_names_it_as_libvirt_resolved_it()
    {
        using var node = new TestDriverNode("from-the-default");
        var cli = Path.Combine(AppContext.BaseDirectory, "vfiokit.dll");
        var run = VfioKit.Tests.Probe.ExternalTool.Run(Environment.ProcessPath!, [cli, "fleet", "lint"],
            environment: new Dictionary<string, string> { ["LIBVIRT_DEFAULT_URI"] = node.Uri });
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{node.Uri} from-the-default (", System.Text.Encoding.UTF8.GetString(run.Out));
    }

    [Fact]
    public void Sarif_is_one_run_with_results_located_by_uri_and_domain_and_the_unreachable_host_as_a_notification()
    {
        using var a = new TestDriverNode("a-win11", "a-linux");
        var run = CliRun.Of("fleet", "lint", "--connect", a.Uri, "--connect", Unreachable, "--format", "sarif");
        Assert.Equal(3, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Out);
        Assert.Equal("2.1.0", doc.RootElement.GetProperty("version").GetString());
        var sarifRun = Assert.Single(doc.RootElement.GetProperty("runs").EnumerateArray());
        var located = sarifRun.GetProperty("results").EnumerateArray()
            .Select(r => (Rule: r.GetProperty("ruleId").GetString(),
                Uri: r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString()))
            .ToList();
        Assert.Contains(("VK102", $"{a.Uri}/a-win11"), located);
        Assert.Contains(("VK102", $"{a.Uri}/a-linux"), located);
        var invocation = Assert.Single(sarifRun.GetProperty("invocations").EnumerateArray());
        Assert.False(invocation.GetProperty("executionSuccessful").GetBoolean());
        var note = Assert.Single(invocation.GetProperty("toolExecutionNotifications").EnumerateArray());
        Assert.Equal("error", note.GetProperty("level").GetString());
        Assert.StartsWith($"{Unreachable}: unreachable: {Unreachable}: cannot connect: ", note.GetProperty("message").GetProperty("text").GetString());
    }
}
