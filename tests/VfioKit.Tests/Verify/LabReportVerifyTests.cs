using System.Text.Json;
using VfioKit.Tests.Cli;

namespace VfioKit.Tests.Verify;

/// <summary>
/// verify on real lspci output of lab guests (lspci -vv text and lspci -x dumps, Data/guests), against
/// the configuration with vfio-pci where the guest had its stand-ins: the verdicts a user reads.
/// </summary>
public sealed class LabReportVerifyTests
{
    public static TheoryData<string, string, int, string> Cases => new()
    {
        { "seed-rootbus", "no-link", 1, "sits on the root bus (VK102)" },
        { "seed-ioh3420", "full-link", 0, "PCIe 1.0 x1 Endpoint behind a root port" },
        { "rootport-xspeed", "full-link", 0, "PCIe 1.0 x1 Endpoint behind a root port" },
        { "switch", "port-below-card", 1, "offers an unknown speed x0" },
        { "machine-i440fx", "no-link", 1, "on a root bus with no PCIe port above it" },
        { "machine-old", "full-link", 0, "PCIe 1.0 x1 Endpoint behind a root port" },
        { "pxb", "full-link", 0, "PCIe 1.0 x1 Endpoint behind a root port" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_verbose_text_and_the_hex_dump_of_a_lab_guest_give_the_same_verdict(string guest, string verdict, int exit, string words)
    {
        using var dir = new TempDirectory("vfiokit-verify-");
        var config = VerifyLab.VfioConfig(dir, guest);
        foreach (var report in new[] { "lspci-vv.txt", "lspci.txt" })
        {
            var run = CliRun.Of("verify", VerifyLab.Guest(guest, report), "--config", config, "--json");
            Assert.True(exit == run.ExitCode, $"{guest}/{report}: exit {run.ExitCode}\n{run.Out}{run.Error}");
            using var doc = JsonDocument.Parse(run.Out);
            var fn0 = doc.RootElement.GetProperty("functions").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "fn0");
            Assert.Equal(verdict, fn0.GetProperty("verdict").GetString());
            Assert.Contains(words, fn0.GetProperty("message").GetString());
            Assert.Equal(exit == 0, doc.RootElement.GetProperty("allLinked").GetBoolean());
        }
    }

    [Fact]
    public void With_the_host_a_card_faster_than_its_ioh3420_port_fails_and_says_why()
    {
        using var dir = new TempDirectory("vfiokit-verify-");
        var config = VerifyLab.VfioConfig(dir, "seed-ioh3420");
        var run = CliRun.Of("verify", VerifyLab.Guest("seed-ioh3420", "lspci-vv.txt"), "--config", config, "--host", VerifyLab.Host);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FAIL fn0 (host 0000:00:03.0, guest 0000:01:00.0): the port above the function offers PCIe 1.0 x1, the card PCIe 4.0 x32", run.Out);
        Assert.Contains("(VK108)", run.Out);
        Assert.Contains("1 with their PCIe link, 1 without", run.Out);
    }

    [Fact]
    public void With_the_host_a_port_as_fast_as_the_card_passes_as_the_host()
    {
        using var dir = new TempDirectory("vfiokit-verify-");
        var config = VerifyLab.VfioConfig(dir, "pxb");
        var run = CliRun.Of("verify", VerifyLab.Guest("pxb", "lspci.txt"), "--config", config, "--host", VerifyLab.Host, "--json");
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        using var doc = JsonDocument.Parse(run.Out);
        var fn0 = doc.RootElement.GetProperty("functions")[0];
        Assert.Equal("PCIe 4.0 x32 Endpoint behind a root port, as the host", fn0.GetProperty("message").GetString());
        Assert.Equal("0000:81:00.0", fn0.GetProperty("guestAddress").GetString());
        Assert.Equal("Root Port", fn0.GetProperty("port").GetProperty("type").GetString());
        Assert.Equal(16.0, fn0.GetProperty("port").GetProperty("linkCapability").GetProperty("speedGTs").GetDouble());
        Assert.Equal(32, fn0.GetProperty("card").GetProperty("width").GetInt32());
    }

    [Fact]
    public void A_configuration_the_guest_does_not_run_leaves_the_function_missing()
    {
        using var dir = new TempDirectory("vfiokit-verify-");
        // The root-port configuration against a guest that had its devices on the root bus: 01:00.0 is not there.
        var config = VerifyLab.VfioConfig(dir, "rootport-generic");
        var run = CliRun.Of("verify", VerifyLab.Guest("seed-rootbus", "lspci-vv.txt"), "--config", config);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FAIL fn0 (host 0000:00:03.0, expected at guest 0000:01:00.0): the guest shows no function at 01:00.0", run.Out);
    }
}
