using System.Text.Json;
using System.Xml.Linq;
using VfioKit.Tests.Cli;

namespace VfioKit.Tests.Report;

/// <summary>`vfiokit report` as a user runs it: files written, JSON contract, exit codes.</summary>
public sealed class ReportCommandTests
{
    private static readonly string Host = ReportMatrix.HostRoot("q35-gpu-iommu");
    private static readonly string Tuned = TestPaths.DataFile("libvirt", "passthrough", "tuned-windows.xml");

    [Fact]
    public void Json_lists_every_finding_with_its_element_and_the_pinning()
    {
        var run = CliRun.Of("report", "--host", Host, "--config", Tuned, "--json");
        // Pinned to CPU 10 on a 4-CPU host: an error, so exit 1.
        Assert.Equal(1, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal("config", root.GetProperty("pinning").GetProperty("source").GetString());
        var threads = root.GetProperty("pinning").GetProperty("threads").EnumerateArray().Select(t => t.GetProperty("element").GetString()).ToList();
        Assert.Equal(["vcpu-0", "vcpu-1", "emulator"], threads);
        var findings = root.GetProperty("findings").EnumerateArray().ToList();
        Assert.Contains(findings, f => f.GetProperty("rule").GetString() == "VK204");
        Assert.Contains(findings, f => f.GetProperty("origin").GetString() == "pinning" && f.GetProperty("elements")[0].GetString() == "vcpu-1");
        Assert.All(findings, f => Assert.StartsWith("finding-", f.GetProperty("element").GetString()));
        Assert.Equal(4, root.GetProperty("host").GetProperty("cpus").GetArrayLength());
    }

    [Fact]
    public void Output_writes_a_self_contained_file_and_svg_writes_the_picture_alone()
    {
        using var dir = new TempDirectory("vk-report-");
        var html = dir.File("r.html");
        var run = CliRun.Of("report", "--host", Host, "--config", TestPaths.DataFile("libvirt", "passthrough", "gpu-audio-ioh3420-index8.xml"), "--output", html);
        Assert.True(run.ExitCode is 0 or 1, run.Error);
        Assert.Contains("wrote", run.Error);
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(html));
        var svg = dir.File("r.svg");
        Assert.True(CliRun.Of("report", "--host", Host, "--format", "svg", "-o", svg).ExitCode is 0 or 1);
        Assert.Equal("svg", XDocument.Load(svg).Root!.Name.LocalName);
        Assert.Empty(Directory.GetFiles(dir.Path, ".*tmp"));
    }

    [Fact]
    public void Bad_input_names_the_option_and_exits_2()
    {
        var noHost = CliRun.Of("report", "--host", "/nonexistent-vk", "--config", Tuned);
        Assert.Equal(2, noHost.ExitCode);
        Assert.Contains("--host", noHost.Error);
        var noDir = CliRun.Of("report", "--host", Host, "-o", "/nonexistent-vk/r.html");
        Assert.Equal(2, noDir.ExitCode);
        Assert.Contains("--output", noDir.Error);
        var badPlan = CliRun.Of("report", "--host", Host, "--plan", Tuned);
        Assert.Equal(2, badPlan.ExitCode);
        Assert.Contains("tuned-windows.xml", badPlan.Error);
    }
}
