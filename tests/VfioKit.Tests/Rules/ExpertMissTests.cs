using VfioKit.Formats;
using VfioKit.Rules;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Tests.Rules;

/// <summary>
/// Issue 13's "misses an expert would report", each from a minimal configuration: what lint must say,
/// and the near miss it must not say it about.
/// </summary>
public class ExpertMissTests
{
    private static LintReport Qemu(string text, IHostFacts? host = null) =>
        Linter.Lint(new ConfigDocument("vm.sh", text, ConfigFormat.Qemu), host: host);

    private static LintReport Libvirt(string text) => Linter.Lint(new ConfigDocument("vm.xml", text, ConfigFormat.Libvirt));

    private static LintReport Proxmox(string text) => Linter.Lint(new ConfigDocument("100.conf", text, ConfigFormat.Proxmox));

    private const string Gpu = "-device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0";

    [Theory]
    [InlineData("host,hypervisor=off,hv_relaxed,hv_vapic")]
    [InlineData("host,-hypervisor,hv-relaxed=on")]
    public void The_hypervisor_bit_off_next_to_hyper_v_flags_is_VK209(string cpu)
    {
        var finding = Assert.Single(Qemu($"qemu-system-x86_64 -machine q35 -cpu {cpu} -m 8G {Gpu}").Findings, f => f.RuleId == RuleIds.HypervisorBitOff);
        Assert.Contains("Windows ignores the Hyper-V enlightenments", finding.Message);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Null(finding.Fix);
    }

    [Fact]
    public void The_hypervisor_bit_off_without_hyper_v_flags_is_not_VK209()
    {
        Assert.DoesNotContain(Qemu($"qemu-system-x86_64 -machine q35 -cpu host,hypervisor=off -m 8G {Gpu}").Findings, f => f.RuleId == RuleIds.HypervisorBitOff);
    }

    [Fact]
    public void A_libvirt_disabled_hypervisor_feature_points_at_its_line()
    {
        var text = new Vk209HypervisorBitOff().Examples.First(e => e.Format == ConfigFormat.Libvirt).Bad;
        var finding = Assert.Single(Libvirt(text).Findings, f => f.RuleId == RuleIds.HypervisorBitOff);
        var line = text.Split('\n')[finding.Location.Line - 1];
        Assert.Contains("name='hypervisor'", line);
        Assert.Contains("relaxed, vapic", finding.Message);
    }

    [Fact]
    public void A_windows_qemu_script_without_any_hyper_v_flag_gets_VK201_with_its_evidence()
    {
        var script = $"""
            qemu-system-x86_64 -name win10 -machine q35 -cpu host -m 8G -rtc base=localtime \
              -drive file=/isos/Win10_22H2_English_x64.iso,media=cdrom \
              -drive file=/isos/virtio-win-0.1.240.iso,media=cdrom \
              {Gpu}
            """;
        var finding = Assert.Single(Qemu(script).Findings, f => f.RuleId == RuleIds.HyperVEnlightenmentsMissing);
        Assert.Contains("-name win10", finding.Message);
        Assert.Contains("Windows ISO Win10_22H2_English_x64.iso", finding.Message);
        Assert.Contains("virtio-win media virtio-win-0.1.240.iso", finding.Message);
        Assert.Contains("-rtc base=localtime", finding.Message);
        Assert.Contains("relaxed", finding.Message);
    }

    [Theory]
    [InlineData("-name ubuntu -cdrom /isos/ubuntu-24.04-desktop-amd64.iso")]
    [InlineData("-name darwin -cdrom /isos/BaseSystem.iso")]
    [InlineData("-name nas -rtc base=localtime")]
    public void A_script_without_windows_signs_gets_no_VK201(string options)
    {
        Assert.DoesNotContain(Qemu($"qemu-system-x86_64 {options} -machine q35 -cpu host -m 8G {Gpu}").Findings, f => f.RuleId == RuleIds.HyperVEnlightenmentsMissing);
    }

    [Theory]
    [InlineData("host,hv_relaxed,hv_time,hv_stimer", "hv-stimer needs hv-synic")]
    [InlineData("host,hv_vpindex,hv_synic,hv_stimer", "hv-stimer needs hv-time")]
    [InlineData("host,hv_synic", "hv-synic needs hv-vpindex")]
    [InlineData("host,hv-tlbflush", "hv-tlbflush needs hv-vpindex")]
    [InlineData("host,hv-evmcs", "hv-evmcs needs hv-vapic")]
    public void Hyper_v_flags_qemu_refuses_are_an_error(string cpu, string expected)
    {
        var findings = Qemu($"qemu-system-x86_64 -machine q35 -cpu {cpu} -m 8G {Gpu}").Findings.Where(f => f.RuleId == RuleIds.HyperVDependencyMissing).ToList();
        Assert.Contains(findings, f => f.Message.StartsWith(expected, StringComparison.Ordinal));
        Assert.All(findings, f => Assert.Equal(Severity.Error, f.Severity));
    }

    [Theory]
    [InlineData("host,hv_relaxed,hv_vapic,hv_time,hv_vpindex,hv_synic,hv_stimer,hv_tlbflush,hv_ipi")]
    [InlineData("host,hv-passthrough")]
    public void A_consistent_hyper_v_set_is_not_VK210(string cpu)
    {
        Assert.DoesNotContain(Qemu($"qemu-system-x86_64 -machine q35 -cpu {cpu} -m 8G {Gpu}").Findings, f => f.RuleId == RuleIds.HyperVDependencyMissing);
    }

    [Fact]
    public void A_libvirt_stimer_without_the_hypervclock_timer_names_the_timer()
    {
        var domain = ExampleXml("<vpindex state='on'/><synic state='on'/><stimer state='on'/>", "");
        var finding = Assert.Single(Libvirt(domain).Findings, f => f.RuleId == RuleIds.HyperVDependencyMissing);
        Assert.Contains("<stimer> needs <timer name='hypervclock'>", finding.Message);
    }

    [Fact]
    public void Emulatorpin_on_a_vcpus_cpu_is_VK211_and_disjoint_pins_are_not()
    {
        var bad = ExampleXml("", "<cputune><vcpupin vcpu='0' cpuset='2'/><vcpupin vcpu='1' cpuset='3'/><emulatorpin cpuset='3-4'/></cputune>");
        var finding = Assert.Single(Libvirt(bad).Findings, f => f.RuleId == RuleIds.EmulatorPinOverlapsVcpus);
        Assert.Contains("host CPU 3, which vCPU 1 is pinned to", finding.Message);
        var good = ExampleXml("", "<cputune><vcpupin vcpu='0' cpuset='2'/><vcpupin vcpu='1' cpuset='3'/><emulatorpin cpuset='0-1'/></cputune>");
        Assert.DoesNotContain(Libvirt(good).Findings, f => f.RuleId == RuleIds.EmulatorPinOverlapsVcpus);
    }

    [Fact]
    public void A_romfile_on_the_hdmi_audio_function_is_VK212_and_on_function_0_it_is_not()
    {
        const string Port = "-device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0";
        var bad = $"qemu-system-x86_64 -machine q35 -cpu host {Port} -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0.0,multifunction=on -device vfio-pci,host=0000:0b:00.1,bus=rp1,addr=0x0.1,romfile=/roms/gpu.rom";
        var withoutHost = Assert.Single(Qemu(bad).Findings, f => f.RuleId == RuleIds.RomFileOnNonDisplayFunction);
        Assert.Contains("function 1, not the display function 0", withoutHost.Message);
        var withHost = Assert.Single(Qemu(bad, ExampleHost.Gpu).Findings, f => f.RuleId == RuleIds.RomFileOnNonDisplayFunction);
        Assert.Contains("is on an audio function", withHost.Message);
        var good = $"qemu-system-x86_64 -machine q35 -cpu host {Port} -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0.0,multifunction=on,romfile=/roms/gpu.rom -device vfio-pci,host=0000:0b:00.1,bus=rp1,addr=0x0.1";
        Assert.DoesNotContain(Qemu(good, ExampleHost.Gpu).Findings, f => f.RuleId == RuleIds.RomFileOnNonDisplayFunction);
    }

    [Fact]
    public void VK212_without_a_host_names_no_display_function_the_vm_does_not_pass()
    {
        // An Intel iGPU (00:02.0) and a ROM on the chipset's HD audio (00:1f.3): function 0 of slot 1f is the LPC
        // bridge, not a display, so the advice must not send the vBIOS there.
        var script = "qemu-system-x86_64 -machine q35 -cpu host -device vfio-pci,host=0000:00:02.0,bus=pcie.0,addr=0x2 "
            + "-device vfio-pci,host=0000:00:1f.3,bus=pcie.0,addr=0x5,romfile=/roms/gop.rom";
        var finding = Assert.Single(Qemu(script).Findings, f => f.RuleId == RuleIds.RomFileOnNonDisplayFunction);
        Assert.Contains("is on function 3 of 0000:00:1f", finding.Message);
        Assert.Contains("belongs on the GPU's own display function", finding.Message);
        Assert.DoesNotContain("1f.0", finding.Message);
    }

    [Fact]
    public void A_gpu_split_over_two_proxmox_hostpci_lines_is_VK103_naming_the_one_line_form_without_a_fix()
    {
        var config = "bios: ovmf\nhostpci0: 0000:05:00.0,pcie=1,x-vga=1\nhostpci1: 0000:05:00.1,pcie=1\nmachine: q35\nmemory: 8192\nostype: win11\n";
        var finding = Assert.Single(Proxmox(config).Findings, f => f.RuleId == RuleIds.FunctionsSplitAcrossSlots);
        Assert.Contains("hostpci0: 0000:05:00,pcie=1", finding.Message);
        Assert.Equal(3, finding.Location.Line);
        Assert.Null(finding.Fix);
        Assert.DoesNotContain(Proxmox("bios: ovmf\nhostpci0: 0000:05:00,pcie=1\nmachine: q35\nmemory: 8192\nostype: win11\n").Findings,
            f => f.RuleId == RuleIds.FunctionsSplitAcrossSlots);
    }

    [Fact]
    public void Options_qemu_removed_are_errors_with_the_release_and_the_next_option_is_still_read()
    {
        var report = Qemu($"qemu-system-x86_64 -machine q35 -nodefconfig -soundhw hda -usb -usbdevice host:046d:c52b -usbdevice tablet -cpu host -m 8G {Gpu}");
        var removed = report.Findings.Where(f => f.RuleId == RuleIds.RemovedQemuOption).Select(f => f.Message).ToList();
        Assert.Equal(3, removed.Count);
        Assert.Contains(removed, m => m.StartsWith("-nodefconfig: removed in QEMU 3.1", StringComparison.Ordinal) && m.Contains("-no-user-config"));
        Assert.Contains(removed, m => m.StartsWith("-soundhw hda: removed in QEMU 7.1", StringComparison.Ordinal));
        Assert.Contains(removed, m => m.StartsWith("-usbdevice host:046d:c52b: removed in QEMU 2.12", StringComparison.Ordinal) && m.Contains("usb-host"));
        Assert.All(report.Findings.Where(f => f.RuleId == RuleIds.RemovedQemuOption), f => Assert.Equal(Severity.Error, f.Severity));
        // -nodefconfig takes no argument: -soundhw after it is an option, not its value.
        Assert.DoesNotContain(report.Findings, f => f.RuleId == RuleIds.CpuModelNotHost);
    }

    [Fact]
    public void A_removed_option_in_proxmox_args_is_reported_on_the_args_line()
    {
        var finding = Assert.Single(Proxmox("args: -nodefconfig -soundhw ac97\nbios: ovmf\nmachine: q35\nmemory: 8192\n").Findings.Where(f => f.RuleId == RuleIds.RemovedQemuOption),
            f => f.Message.StartsWith("-soundhw ac97", StringComparison.Ordinal));
        Assert.Equal(1, finding.Location.Line);
    }

    /// <summary>The corpus's kaist script: a port with id=pcie.0 before the ports two NICs' second ports sit behind. bus=pcie.0
    /// still means the root bus (QEMU 7.2 info qtree: e1000 at 00:03.0 on the root bus, the port pcie.0 at 00:02.0
    /// with an empty bus of its own), so the other ports are seen and judged.</summary>
    [Fact]
    public void VK108_judges_the_ports_beside_a_port_named_pcie_0()
    {
        const string Script = """
            qemu-system-x86_64 -M q35 -cpu host -m 8G \
              -device ioh3420,id=pcie.0,chassis=0 \
              -device e1000,netdev=n0,bus=pcie.0 -netdev user,id=n0 \
              -device ioh3420,id=pcie.1,chassis=1 \
              -device vfio-pci,host=d8:00.1,bus=pcie.1 \
              -device ioh3420,id=pcie.2,chassis=2 \
              -device vfio-pci,host=af:00.1,bus=pcie.2
            """;
        var view = VfioKit.GuestView.GuestViewPredictor.Predict(VfioKit.Formats.Qemu.QemuCommandLine.Parse(Script, "vm.sh"));
        string At(string name) => view.Devices.Single(d => d.Name == name).GuestAddress?.ToString() ?? "not visible";
        Assert.Equal("0000:00:00.0", At("mch"));
        Assert.Equal("0000:00:02.0", At("pcie.0"));
        Assert.Equal("0000:00:03.0", At("e1000"));
        // The port named pcie.0 takes bus 1 (SeaBIOS numbers every bridge, even an empty one).
        Assert.Equal(["0000:02:00.0", "0000:03:00.0"], view.Devices.Where(d => d.Device.IsPassthrough).Select(d => d.GuestAddress?.ToString() ?? "not visible"));
        var vk108 = Qemu(Script).Findings.Where(f => f.RuleId == RuleIds.PortLinkBelowHost).ToList();
        Assert.Equal([5, 7], vk108.Select(f => f.Location.Line));
        Assert.All(vk108, f => Assert.Contains("ioh3420 is always 2.5GT/s x1", f.Message));
        // Each is a NIC's second port passed without its function 0: its port is the card's link, judged there.
        Assert.Contains("d8:00.1", vk108[0].Message);
    }

    /// <summary>The corpus's kaist script names its first port pcie.0 and puts an e1000 on bus=pcie.0 right after it.</summary>
    [Fact]
    public void A_port_named_like_the_root_bus_is_VK114_naming_what_lands_on_the_root_bus()
    {
        const string Script = """
            qemu-system-x86_64 -M q35 -cpu host -m 8G \
              -device ioh3420,id=pcie.0,chassis=0 \
              -device e1000,netdev=n0,bus=pcie.0 -netdev user,id=n0 \
              -device ioh3420,id=pcie.1,chassis=1 \
              -device vfio-pci,host=d8:00.1,bus=pcie.1
            """;
        var finding = Assert.Single(Qemu(Script).Findings, f => f.RuleId == RuleIds.ControllerNamedLikeRootBus);
        Assert.Equal(2, finding.Location.Line);
        Assert.Contains("ioh3420 'pcie.0' has the root bus's name", finding.Message);
        Assert.Contains("e1000 (line 3) with bus=pcie.0 sits on the root bus", finding.Message);
        Assert.Null(finding.Fix);
        // Ports named otherwise, pcie.1 included, are not.
        Assert.DoesNotContain(Qemu(Script.Replace("id=pcie.0", "id=rp0", StringComparison.Ordinal)).Findings, f => f.RuleId == RuleIds.ControllerNamedLikeRootBus);
    }

    /// <summary>The corpus's novafacing one-liner (windows.sh): -name is a shell variable, no ISO in the file; the
    /// script's own name and the local-time RTC say Windows.</summary>
    [Fact]
    public void A_script_named_for_windows_with_a_local_time_rtc_gets_VK201()
    {
        var script = $"qemu-system-x86_64 -name $vmname -machine q35 -m 8G -rtc clock=host,base=localtime {Gpu}";
        static LintReport Named(string name, string text) => Linter.Lint(new ConfigDocument(name, text, ConfigFormat.Qemu));
        var finding = Assert.Single(Named("/home/u/vm/windows.sh", script).Findings, f => f.RuleId == RuleIds.HyperVEnlightenmentsMissing);
        Assert.Contains("script windows.sh", finding.Message);
        Assert.Contains("-rtc base=localtime", finding.Message);
        Assert.Contains("relaxed", finding.Message);
        Assert.NotNull(finding.Fix);
        Assert.Single(Named("start-win11.sh", script).Findings, f => f.RuleId == RuleIds.HyperVEnlightenmentsMissing);
        // A script named for something else, or options read from stdin, are not a Windows guest by their name.
        Assert.DoesNotContain(Named("darwin.sh", script).Findings, f => f.RuleId == RuleIds.HyperVEnlightenmentsMissing);
        Assert.DoesNotContain(Named("-", script).Findings, f => f.RuleId == RuleIds.HyperVEnlightenmentsMissing);
    }

    /// <summary>The corpus's OSX-KVM OpenCore-Boot.sh reads its options from a bash array: -m "$ALLOCATED_RAM" and the rest
    /// are read, and VK203 (about passthrough VMs: GPU DMA through the IOMMU, VFIO pinning all RAM) comes with the first
    /// vfio-pci added to the array and not before.</summary>
    [Fact]
    public void VK203_reads_memory_from_a_bash_array_and_speaks_of_passthrough_vms_only()
    {
        var original = File.ReadAllText(TestPaths.DataFile("RealConfigs", "qemu-osxkvm-opencore-boot-array.sh"));
        static LintReport Script(string text) => Linter.Lint(new ConfigDocument("OpenCore-Boot.sh", text, ConfigFormat.Qemu));
        Assert.DoesNotContain(Script(original).Findings, f => f.RuleId == RuleIds.MemoryNotBacked);
        var passthrough = original.Replace("  -device vmware-svga\n", "  -device vmware-svga\n  -device vfio-pci,host=01:00.0\n", StringComparison.Ordinal);
        Assert.NotEqual(original, passthrough);
        var vk203 = Assert.Single(Script(passthrough).Findings, f => f.RuleId == RuleIds.MemoryNotBacked);
        Assert.Contains("-m \"$ALLOCATED_RAM\"", passthrough.Split('\n')[vk203.Location.Line - 1]);
        var huge = passthrough.Replace("-m \"$ALLOCATED_RAM\"", "-m \"$ALLOCATED_RAM\" -mem-path /dev/hugepages", StringComparison.Ordinal);
        Assert.DoesNotContain(Script(huge).Findings, f => f.RuleId == RuleIds.MemoryNotBacked);
    }

    /// <summary>A q35 domain with a GPU behind a port, the given &lt;hyperv&gt; children (none: no &lt;hyperv&gt;) and extra top-level elements.</summary>
    private static string ExampleXml(string hyperv, string extra) => $"""
        <domain type='kvm'>
          <name>vm</name>
          <memory unit='KiB'>8388608</memory>
          <vcpu placement='static'>2</vcpu>
          <os><type arch='x86_64' machine='q35'>hvm</type></os>
          <features><acpi/><apic/>{(hyperv.Length > 0 ? $"<hyperv mode='custom'>{hyperv}</hyperv>" : "")}</features>
          {extra}
          <cpu mode='host-passthrough' check='none'/>
          <devices>
            <controller type='pci' index='0' model='pcie-root'/>
            <controller type='pci' index='1' model='pcie-root-port'>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>
            </controller>
            <hostdev mode='subsystem' type='pci' managed='yes'>
              <source><address domain='0x0000' bus='0x0b' slot='0x00' function='0x0'/></source>
              <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
            </hostdev>
          </devices>
        </domain>
        """;
}
