using VfioKit.Formats;
using VfioKit.Rules;

namespace VfioKit.Tests.Rules;

/// <summary>Issue 13's false alarms, each from a minimal configuration that used to draw one.</summary>
public class FalseAlarmTests
{
    private static LintReport Qemu(string text, IHostFacts? host = null) =>
        Linter.Lint(new ConfigDocument("vm.sh", text, ConfigFormat.Qemu), host: host);

    /// <summary>The GPU and its HDMI audio each behind an ioh3420 (2.5GT/s x1) port: libvirt's old default layout.</summary>
    private const string SplitOnSlowPorts = """
        qemu-system-x86_64 -machine q35 -cpu host -m 8G \
          -device ioh3420,id=rp1,chassis=1,slot=1,bus=pcie.0,addr=0x2 \
          -device ioh3420,id=rp2,chassis=2,slot=2,bus=pcie.0,addr=0x3 \
          -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0 \
          -device vfio-pci,host=0000:0b:00.1,bus=rp2,addr=0x0
        """;

    [Fact]
    public void VK108_judges_the_gpus_slot_once_and_not_the_hdmi_audio_in_a_slot_of_its_own()
    {
        var findings = Qemu(SplitOnSlowPorts).Findings.Where(f => f.RuleId == RuleIds.PortLinkBelowHost).ToList();
        var finding = Assert.Single(findings);
        Assert.Contains("0000:0b:00.0", finding.Message);
        Assert.DoesNotContain("GPU vfio", finding.Message);
        Assert.Contains("link assumed for a GPU", finding.Message);
    }

    [Fact]
    public void VK108_with_the_host_calls_a_display_a_gpu()
    {
        var finding = Assert.Single(Qemu(SplitOnSlowPorts, ExampleHost.Gpu).Findings, f => f.RuleId == RuleIds.PortLinkBelowHost);
        Assert.StartsWith("GPU ", finding.Message);
        Assert.Contains("host link 16GT/s x16", finding.Message);
    }

    [Fact]
    public void VK206_without_cpu_names_qemus_default_model()
    {
        var finding = Assert.Single(Qemu("qemu-system-x86_64 -machine q35 -m 8G -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 -device vfio-pci,host=0000:0b:00.0,bus=rp1").Findings,
            f => f.RuleId == RuleIds.CpuModelNotHost);
        Assert.Contains("qemu64", finding.Message);
        Assert.DoesNotContain("is ,", finding.Message);
    }

    [Fact]
    public void A_macos_guest_is_not_asked_for_host_passthrough_or_hyper_v()
    {
        // OSX-KVM's command line: Penryn and isa-applesmc; hv flags from a shared template are noise to macOS.
        const string MacOs = "qemu-system-x86_64 -machine q35 -cpu Penryn,hv_relaxed,vendor=GenuineIntel -m 8G "
            + "-device isa-applesmc,osk=ourhardworkbythesewordsguardedpleasedontsteal(c)AppleComputerInc -smbios type=2";
        var findings = Qemu(MacOs).Findings;
        Assert.DoesNotContain(findings, f => f.RuleId is RuleIds.CpuModelNotHost or RuleIds.HyperVEnlightenmentsMissing);
        // The same line without the SMC is a guest vfiokit cannot tell from Windows: both findings stand.
        var other = Qemu(MacOs.Replace("-device isa-applesmc,osk=ourhardworkbythesewordsguardedpleasedontsteal(c)AppleComputerInc", "", StringComparison.Ordinal)).Findings;
        Assert.Contains(other, f => f.RuleId == RuleIds.CpuModelNotHost);
        Assert.Contains(other, f => f.RuleId == RuleIds.HyperVEnlightenmentsMissing);
    }

    [Fact]
    public void VK101_leaves_a_legacy_intel_igd_on_i440fx()
    {
        var report = Qemu("qemu-system-x86_64 -machine pc -cpu host -m 8G -vga none -device vfio-pci,host=0000:00:02.0,addr=0x2,x-igd-opregion=on");
        Assert.DoesNotContain(report.Findings, f => f.RuleId == RuleIds.PassthroughOnI440fx);
    }

    [Fact]
    public void VK101_beside_a_legacy_igd_is_information_without_the_q35_fix()
    {
        var report = Qemu("qemu-system-x86_64 -machine pc -cpu host -m 8G -vga none -device vfio-pci,host=0000:00:02.0,addr=0x2 -device vfio-pci,host=0000:03:00.0");
        var finding = Assert.Single(report.Findings, f => f.RuleId == RuleIds.PassthroughOnI440fx);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Null(finding.Fix);
        Assert.Contains("legacy IGD", finding.Message);
    }

    [Fact]
    public void VK101_still_asks_for_q35_for_a_discrete_gpu()
    {
        var finding = Assert.Single(Qemu("qemu-system-x86_64 -machine pc -cpu host -m 8G -device vfio-pci,host=0000:0b:00.0").Findings, f => f.RuleId == RuleIds.PassthroughOnI440fx);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.NotNull(finding.Fix);
    }
}
