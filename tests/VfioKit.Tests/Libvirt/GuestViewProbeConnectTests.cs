using System.Text.Json;
using VfioKit.Tests.Cli;

namespace VfioKit.Tests.Libvirt;

/// <summary>`guest-view DOMAIN --connect URI` and `probe DOMAIN --connect URI`: the VM read from libvirt (its test
/// driver here) is predicted and booted as the same VM read from a file.</summary>
public class GuestViewProbeConnectTests
{
    private static string DomainFile => TestPaths.DataFile("libvirt", "passthrough", "gpu-on-pcie0.xml");

    /// <summary>Each device as a user reads the tree: name, guest address, what the guest sees and the links (where
    /// the VM came from, and the lines libvirt's reformatted XML puts it on, are left out).</summary>
    private static List<string> Devices(string json) =>
        [.. JsonDocument.Parse(json).RootElement.GetProperty("devices").EnumerateArray().Select(d => string.Join(" | ",
            d.GetProperty("name").ToString(), d.GetProperty("driver").ToString(), d.GetProperty("guestAddress").ToString(),
            d.GetProperty("guestSees").ToString(), d.GetProperty("link").GetRawText(), d.GetProperty("portLink").GetRawText()))];

    [Fact]
    public void Guest_view_of_a_domain_read_through_libvirt_is_the_prediction_for_its_xml()
    {
        using var node = new TestDriverNode("win11");
        var fromLibvirt = CliRun.Of("guest-view", "win11", "--connect", node.Uri, "--json");
        Assert.True(fromLibvirt.ExitCode == 0, fromLibvirt.Error);
        Assert.Equal($"{node.Uri}/win11", JsonDocument.Parse(fromLibvirt.Out).RootElement.GetProperty("file").GetString());

        // The file the node's domain was made from, as the test driver made it (type='test' changes no device).
        var fromFile = CliRun.Of("guest-view", DomainFile, "--json");
        Assert.Equal(Devices(fromFile.Out), Devices(fromLibvirt.Out));
        Assert.Contains("hostdev0 | vfio-pci | 0000:00:05.0 | RootComplexIntegratedEndpoint", string.Join("\n", Devices(fromLibvirt.Out)));
        // What a user looks for: the GPU has no PCIe link behind the root bus.
        var tree = CliRun.Of("guest-view", "win11", "--connect", node.Uri);
        Assert.Contains($"{node.Uri}/win11: q35", tree.Out);
        Assert.Contains("hostdev0 vfio-pci host=0000:0b:00.0 — Root Complex Integrated Endpoint", tree.Out);
    }

    [Fact]
    public void Probe_boots_a_domain_read_through_libvirt_and_the_guest_agrees_with_the_prediction()
    {
        using var node = new TestDriverNode("win11");
        var run = CliRun.Of("probe", "win11", "--connect", node.Uri, "--json", "--kernel", VfioKit.Tests.Probe.ProbeLab.Tools.Kernel);
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        using var doc = JsonDocument.Parse(run.Out);
        Assert.Equal($"{node.Uri}/win11", doc.RootElement.GetProperty("file").GetString());
        Assert.True(doc.RootElement.GetProperty("agrees").GetBoolean(), run.Out);
    }

    [Fact]
    public void A_missing_domain_is_bad_input_and_live_without_connect_is_refused()
    {
        using var node = new TestDriverNode("win11");
        var missing = CliRun.Of("guest-view", "nope", "--connect", node.Uri);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains($"nope: no domain with this name or UUID on {node.Uri}", missing.Error);

        var live = CliRun.Of("guest-view", DomainFile, "--live");
        Assert.Equal(2, live.ExitCode);
        Assert.Contains("--live", live.Error);
        Assert.Contains("give --connect URI", live.Error);

        var probe = CliRun.Of("probe", "nope", "--connect", node.Uri);
        Assert.Equal(2, probe.ExitCode);
        Assert.Contains($"nope: no domain with this name or UUID on {node.Uri}", probe.Error);
    }
}
