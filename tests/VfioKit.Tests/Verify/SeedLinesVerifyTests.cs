using System.Text.Json;
using VfioKit.Tests.Cli;

namespace VfioKit.Tests.Verify;

/// <summary>
/// The traps, on lspci -vv text shaped like the seed users' own lines (an NVIDIA GPU and its HDMI audio
/// behind a root port; written here from those lines, since this machine has no GPU).
/// </summary>
public sealed class SeedLinesVerifyTests
{
    private static string Gpu(string lnkSta, string portCap = "Speed 16GT/s, Width x32", string capabilities = "Capabilities: [68] Express (v2) Legacy Endpoint, MSI 00") => $"""
        00:1c.0 PCI bridge: Red Hat, Inc. QEMU PCIe Root port
        	Bus: primary=00, secondary=01, subordinate=01, sec-latency=0
        	Capabilities: [54] Express (v2) Root Port (Slot+), MSI 00
        		LnkCap:	Port #0, {portCap}, ASPM L0s, Exit Latency L0s <64ns
        		LnkSta:	Speed 16GT/s (ok), Width x16 (ok)

        01:00.0 VGA compatible controller [0300]: NVIDIA Corporation GA102 [GeForce RTX 3090] [10de:2204] (rev a1) (prog-if 00 [VGA controller])
        	Subsystem: NVIDIA Corporation Device [10de:147d]
        	{capabilities}
        		LnkCap:	Port #0, Speed 16GT/s, Width x16, ASPM L0s L1, Exit Latency L0s <512ns, L1 <4us
        		LnkSta:	{lnkSta}
        		LnkCap2: Supported Link Speeds: 2.5-16GT/s, Crosslink- Retimer+ 2Retimers+ DRS-

        01:00.1 Audio device [0403]: NVIDIA Corporation GA102 High Definition Audio Controller [10de:1aef] (rev a1)
        	{capabilities}
        		LnkCap:	Port #0, Speed 16GT/s, Width x16, ASPM L0s L1
        		LnkSta:	{lnkSta}

        """.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static CliRun Verify(string text, params string[] extra)
    {
        using var dir = new TempDirectory("vfiokit-verify-");
        var file = dir.File("lspci.txt");
        File.WriteAllText(file, text);
        return CliRun.Of(["verify", file, .. extra]);
    }

    [Fact]
    public void Without_a_configuration_the_GPU_and_its_audio_are_found_and_pass()
    {
        var run = Verify(Gpu("Speed 16GT/s (ok), Width x16 (ok)"));
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("ok   0000:01:00.0 (guest 0000:01:00.0): PCIe 4.0 x16 Legacy Endpoint behind a root port", run.Out);
        Assert.Contains("ok   0000:01:00.1", run.Out);
        Assert.Contains("2 passed function(s): 2 with their PCIe link, 0 without.", run.Out);
    }

    [Fact]
    public void An_idle_NVIDIA_link_at_2_5GT_s_passes_but_asks_for_a_recheck_under_load()
    {
        var run = Verify(Gpu("Speed 2.5GT/s (downgraded), Width x16 (ok)"), "--json");
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        using var doc = JsonDocument.Parse(run.Out);
        var gpu = doc.RootElement.GetProperty("functions")[0];
        Assert.Equal("recheck-under-load", gpu.GetProperty("verdict").GetString());
        Assert.True(gpu.GetProperty("hasLink").GetBoolean());
        Assert.Contains("re-check under load", gpu.GetProperty("message").GetString());
        Assert.Equal(2.5, gpu.GetProperty("linkStatus").GetProperty("speedGTs").GetDouble());
    }

    [Fact]
    public void A_root_port_limited_to_8GT_s_x16_below_a_16GT_s_card_fails()
    {
        var run = Verify(Gpu("Speed 8GT/s (downgraded), Width x16 (ok)", portCap: "Speed 8GT/s, Width x16"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("the port above the GPU offers PCIe 3.0 x16, the card PCIe 4.0 x16", run.Out);
        Assert.Contains("the port above the audio function offers PCIe 3.0 x16", run.Out);
    }

    [Fact]
    public void Lspci_run_without_root_is_named_as_the_reason_and_fails()
    {
        var run = Verify(Gpu("Speed 16GT/s (ok), Width x16 (ok)", capabilities: "Capabilities: <access denied>"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("run it as root, e.g. sudo lspci -vv", run.Out);
    }

    [Fact]
    public void An_AMD_card_gets_the_upstream_port_note()
    {
        var text = Gpu("Speed 16GT/s (ok), Width x16 (ok)").Replace("[10de:2204]", "[1002:73bf]", StringComparison.Ordinal);
        var run = Verify(text);
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("note: AMD cards (RDNA) sit behind their own switch", run.Out);
    }

    [Theory]
    [InlineData("hello world\n", "not a guest report vfiokit reads")]
    [InlineData("", "the guest report is empty")]
    [InlineData("{\"vfiokit\": \"windows-pci\", \"version\": 1, \"devices\": [", "not whole JSON (cut short?)")]
    [InlineData("{\"name\": \"something else\"}", "not the output of vfiokit's Windows script")]
    [InlineData("01:00.0 VGA compatible controller: X\n\tLnkCap:\tPort #0, Speed 8GT/s, Width x16\n<?xml version='1.0'?>\n", ":3:1: expected an lspci line")]
    [InlineData("01:00.0 VGA compatible controller: X\n00: de 10 04 22\n", "needs at least 64")]
    public void Garbage_truncated_or_mixed_input_exits_2_with_what_was_recognised(string text, string message)
    {
        var run = Verify(text);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error);
    }
}
