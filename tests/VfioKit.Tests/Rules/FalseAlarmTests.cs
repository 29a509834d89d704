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

    /// <summary>libvirt-yoonsikp-macos.xml of the corpus: the host's chipset USB controller (00:14.0) behind a slow port.</summary>
    [Fact]
    public void VK108_leaves_a_chipset_function_on_host_bus_0_alone_without_the_host()
    {
        var chipset = SplitOnSlowPorts.Replace("0000:0b:00.0", "0000:00:14.0", StringComparison.Ordinal).Replace("0000:0b:00.1", "0000:00:1f.3", StringComparison.Ordinal);
        Assert.DoesNotContain(Qemu(chipset).Findings, f => f.RuleId == RuleIds.PortLinkBelowHost);
        Assert.Contains(Qemu(SplitOnSlowPorts).Findings, f => f.RuleId == RuleIds.PortLinkBelowHost);
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

    /// <summary>qemu-oowibowo-gvt-start-vm.sh of the corpus: a GVT-g vGPU (an mdev under the iGPU) on -M pc.</summary>
    [Fact]
    public void VK101_leaves_a_mediated_vgpu_on_i440fx()
    {
        var report = Qemu("qemu-system-x86_64 -M pc -cpu host -m 4096 -device vfio-pci,sysfsdev=/sys/bus/pci/devices/0000:00:02.0/f50aab10-7cc8-11e9-a94b-6b9d8245bfc1,display=on");
        Assert.DoesNotContain(report.Findings, f => f.RuleId == RuleIds.PassthroughOnI440fx);
        // The same path to a whole PCI function is ordinary passthrough.
        Assert.Contains(Qemu("qemu-system-x86_64 -M pc -cpu host -m 4096 -device vfio-pci,sysfsdev=/sys/bus/pci/devices/0000:0b:00.0").Findings,
            f => f.RuleId == RuleIds.PassthroughOnI440fx && f.Severity == Severity.Error);
    }

    /// <summary>A function the host shows is not a display (the corpus's opencsd NVMe, here the GPU's HDMI audio): a warning.</summary>
    [Fact]
    public void VK101_warns_for_a_host_function_that_is_not_a_display()
    {
        var finding = Assert.Single(Qemu("qemu-system-x86_64 -machine pc -cpu host -m 8G -device vfio-pci,host=0000:0b:00.1", ExampleHost.Gpu).Findings,
            f => f.RuleId == RuleIds.PassthroughOnI440fx);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.NotNull(finding.Fix);
    }

    /// <summary>pve-gangqizai-igd-100.conf of the corpus: the iGPU's vBIOS on 00:02.0 and its GOP driver ROM on the audio
    /// function, deliberately; a ROM on the audio function while the display function has none, or the same file on both, is still reported.</summary>
    [Fact]
    public void VK212_leaves_a_second_rom_beside_the_display_functions_own()
    {
        static LintReport Pve(string text) => Linter.Lint(new ConfigDocument("100.conf", text, ConfigFormat.Proxmox));
        const string Igd = "bios: ovmf\nmachine: pc-i440fx-8.0\nvga: none\nhostpci0: 0000:00:02.0,legacy-igd=1,romfile=gen12_igd.rom\nhostpci1: 0000:00:1f.3,romfile=gen12_gop.rom\n";
        Assert.DoesNotContain(Pve(Igd).Findings, f => f.RuleId == RuleIds.RomFileOnNonDisplayFunction);
        Assert.Contains(Pve(Igd.Replace(",romfile=gen12_igd.rom", "", StringComparison.Ordinal)).Findings, f => f.RuleId == RuleIds.RomFileOnNonDisplayFunction);
        // The display's own vBIOS copied onto the audio function (the corpus's snekutaren domain): reported.
        Assert.Contains(Pve(Igd.Replace("gen12_gop.rom", "gen12_igd.rom", StringComparison.Ordinal)).Findings, f => f.RuleId == RuleIds.RomFileOnNonDisplayFunction);
    }

    /// <summary>pve-proxintosh-bigsur-100.conf of the corpus (a TRX40 host): 48:00.1 and 48:00.3, the two Starship USB 3.0
    /// controllers beside the PSP at 48:00.0, each on a hostpci line of its own. Independent controllers work in separate
    /// slots; what pairs functions by slot looks for function 0 (snd-hda-intel's get_bound_vga), which is not passed.</summary>
    [Theory]
    [InlineData(ConfigFormat.Proxmox, "bios: ovmf\nhostpci0: 48:00.1,pcie=1\nhostpci1: 48:00.3,pcie=1\nmachine: q35\nmemory: 8192\n")]
    [InlineData(ConfigFormat.Qemu, "qemu-system-x86_64 -machine q35 -cpu host -m 8G -device pcie-root-port,id=rp1,chassis=1,bus=pcie.0 -device pcie-root-port,id=rp2,chassis=2,bus=pcie.0 -device vfio-pci,host=48:00.1,bus=rp1 -device vfio-pci,host=48:00.3,bus=rp2")]
    public void VK103_leaves_functions_of_a_device_whose_function_0_is_not_passed(ConfigFormat format, string text)
    {
        static LintReport Lint(ConfigFormat f, string t) => Linter.Lint(new ConfigDocument(f == ConfigFormat.Qemu ? "vm.sh" : "100.conf", t, f));
        Assert.DoesNotContain(Lint(format, text).Findings, f => f.RuleId == RuleIds.FunctionsSplitAcrossSlots);
        // With function 0 among them the split is reported as before.
        var withFunction0 = text.Replace("48:00.3", "48:00.0", StringComparison.Ordinal);
        Assert.Single(Lint(format, withFunction0).Findings, f => f.RuleId == RuleIds.FunctionsSplitAcrossSlots);
    }

    [Fact]
    public void VK101_still_asks_for_q35_for_a_discrete_gpu()
    {
        var finding = Assert.Single(Qemu("qemu-system-x86_64 -machine pc -cpu host -m 8G -device vfio-pci,host=0000:0b:00.0").Findings, f => f.RuleId == RuleIds.PassthroughOnI440fx);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.NotNull(finding.Fix);
    }
}
