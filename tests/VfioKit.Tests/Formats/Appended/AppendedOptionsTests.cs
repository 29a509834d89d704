using VfioKit.Formats;
using VfioKit.Formats.Proxmox;
using VfioKit.GuestView;
using VfioKit.Rules;

namespace VfioKit.Tests.Formats.Appended;

/// <summary>
/// What QEMU receives is the tool's generated options and then the user's appended ones (libvirt's
/// &lt;qemu:commandline&gt;, Proxmox's args:): the last -cpu wins, appended devices are created (and placed) last.
/// </summary>
public class AppendedOptionsTests
{
    private const string Proxmox = """
        bios: ovmf
        cores: 4
        cpu: host,hidden=1
        hostpci0: 0000:0b:00,pcie=1,x-vga=1
        machine: pc-q35-8.1
        memory: 8192
        ostype: win11
        args: -cpu 'host,kvm=off' -device "ivshmem-plain,id=lg,memdev=ivshmem,bus=pcie.0" -object memory-backend-file,id=ivshmem,share=on,mem-path=/dev/shm/looking-glass,size=40M
        """;

    [Fact]
    public void A_later_cpu_in_qemu_commandline_drops_libvirts_hyperv_flags_and_no_fix_is_offered()
    {
        var report = Linter.Lint(new ConfigDocument("win10.xml", AppendedDomain.Xml(), ConfigFormat.Libvirt));
        var vk201 = Assert.Single(report.Findings, f => f.RuleId == RuleIds.HyperVEnlightenmentsMissing);
        Assert.False(vk201.Fixable);
        Assert.Contains("relaxed", vk201.Message);
        Assert.Contains("<qemu:commandline>", vk201.Message);
        Assert.Contains("QEMU takes the last -cpu", vk201.Message);
        // The finding points at the appended -cpu's value, the line to change.
        Assert.Equal(AppendedDomain.Xml().Split('\n').ToList().FindIndex(l => l.Contains("value='-cpu'", StringComparison.Ordinal)) + 1, vk201.Location.Line);
    }

    [Fact]
    public void The_effective_cpu_is_the_appended_one()
    {
        var domain = VmConfigFile.Parse("win10.xml", AppendedDomain.Xml(cpu: "Skylake-Client,kvm=off"));
        var tuning = LibvirtTuningReader.Read(domain.Domain!);
        Assert.Equal("Skylake-Client", tuning.CpuModel);
        Assert.True(tuning.KvmHidden);
        Assert.Empty(tuning.HyperV);
        var vk206 = Assert.Single(Linter.Lint(new ConfigDocument("win10.xml", AppendedDomain.Xml(cpu: "Skylake-Client,kvm=off"), ConfigFormat.Libvirt)).Findings,
            f => f.RuleId == RuleIds.CpuModelNotHost);
        Assert.Contains("Skylake-Client", vk206.Message);
        Assert.False(vk206.Fixable);
    }

    [Fact]
    public void Without_an_appended_cpu_libvirts_own_flags_count()
    {
        var xml = AppendedDomain.Xml().Replace("<qemu:arg value='-cpu'/>\n    <qemu:arg value='host,kvm=off'/>\n", "", StringComparison.Ordinal);
        Assert.DoesNotContain("value='-cpu'", xml);
        var report = Linter.Lint(new ConfigDocument("win10.xml", xml, ConfigFormat.Libvirt));
        Assert.DoesNotContain(report.Findings, f => f.RuleId is RuleIds.HyperVEnlightenmentsMissing or RuleIds.CpuModelNotHost);
    }

    [Fact]
    public void An_ivshmem_in_qemu_commandline_is_seen_by_guest_view_and_VK205()
    {
        var config = VmConfigFile.Parse("win10.xml", AppendedDomain.Xml(ivshmemSize: "48M"));
        var lg = config.Topology.FindDevice("lg");
        Assert.NotNull(lg);
        Assert.Equal("ivshmem-plain", lg.Driver);
        Assert.Equal("pcie.0:0x10", lg.Placement!.ToString());
        var view = GuestViewPredictor.Predict(config.Topology);
        Assert.NotNull(view.Find("lg"));
        Assert.False(view.HasErrors);
        var report = Linter.Lint(new ConfigDocument("win10.xml", AppendedDomain.Xml(ivshmemSize: "48M"), ConfigFormat.Libvirt));
        var vk205 = Assert.Single(report.Findings, f => f.RuleId == RuleIds.LookingGlassSize);
        Assert.Contains("48 MiB is not a power of two", vk205.Message);
        var good = Linter.Lint(new ConfigDocument("win10.xml", AppendedDomain.Xml(ivshmemSize: "64M"), ConfigFormat.Libvirt));
        Assert.DoesNotContain(good.Findings, f => f.RuleId == RuleIds.LookingGlassSize);
    }

    /// <summary>libvirt passes its devices as JSON, which QEMU creates after key=value ones: an appended ivshmem without
    /// addr= takes 00:01.0 before libvirt's root port there, and QEMU refuses to start (checked with QEMU 7.2:
    /// "PCI: slot 1 function 0 not available for pcie-root-port, in use by ivshmem-plain,id=lg").</summary>
    [Fact]
    public void An_appended_key_value_device_without_addr_takes_the_slot_libvirt_gave_a_port()
    {
        var xml = AppendedDomain.Xml(ivshmem: "ivshmem-plain,id=lg,memdev=looking-glass");
        var config = VmConfigFile.Parse("win10.xml", xml);
        Assert.Equal("pcie.0:0x1 (assumed)", config.Topology.FindDevice("lg")!.Placement!.ToString());
        var view = GuestViewPredictor.Predict(config.Topology);
        Assert.True(view.HasErrors);
        Assert.Contains(view.Problems, p => p.Message.Contains("slot 1 function 0 not available", StringComparison.Ordinal));
    }

    /// <summary>libvirt-novafacing-windows.xml of the corpus without its stray leading &lt;qemu:arg value='none'/&gt; (which
    /// QEMU takes for a disk image: the file as published does not start). Its GPU is passed as two vfio-pci in
    /// &lt;qemu:commandline&gt;: both are in the topology, on pcie.0 in two slots, and VK102/VK103 see them. fix cannot move
    /// them honestly (a key=value -device is created before libvirt's buses exist, and slots it would take are
    /// libvirt's), so the findings carry no fix and fix leaves &lt;qemu:commandline&gt; as it was.</summary>
    [Fact]
    public void Vfio_pci_functions_in_qemu_commandline_are_judged_and_left_to_the_user()
    {
        var lines = File.ReadAllLines(TestPaths.DataFile("RealConfigs", "libvirt-novafacing-windows.xml")).ToList();
        Assert.Equal("<qemu:arg value='none'/>", lines[94].Trim());
        lines.RemoveAt(94);
        var xml = string.Join('\n', lines) + "\n";
        var doc = new ConfigDocument("windows.xml", xml, ConfigFormat.Libvirt);

        var topology = VmConfigFile.Parse("windows.xml", xml).Topology;
        var gpu = topology.Configured.Where(d => d.IsPassthrough).ToList();
        Assert.Equal(["0000:01:00.0", "0000:01:00.1"], gpu.Select(d => d.HostAddress.ToString()));
        Assert.All(gpu, d => Assert.Equal("pcie.0", d.Placement!.Bus));

        var findings = Linter.Lint(doc).Findings;
        var vk102 = findings.Where(f => f.RuleId == RuleIds.PcieDeviceOnRootBus).ToList();
        Assert.Equal(["vfio-pci (01:00.0)", "vfio-pci (01:00.1)"], vk102.Select(f => f.Message[..f.Message.IndexOf(" is ", StringComparison.Ordinal)]));
        var vk103 = Assert.Single(findings, f => f.RuleId == RuleIds.FunctionsSplitAcrossSlots);
        Assert.Contains("0000:01:00", vk103.Message);
        // The findings point at the <qemu:arg> lines of the two functions.
        Assert.Equal([102, 104], vk102.Select(f => f.Location.Line));
        Assert.All(vk102.Append(vk103), f => Assert.Null(f.Fix));

        var result = VfioKit.Linting.Fixer.Fix(doc, new VfioKit.Linting.FixOptions(Unsafe: true));
        Assert.DoesNotContain(result.Applied, f => f.RuleId is RuleIds.PcieDeviceOnRootBus or RuleIds.FunctionsSplitAcrossSlots);
        static string Commandline(string text) => text[text.IndexOf("<qemu:commandline>", StringComparison.Ordinal)..];
        Assert.Equal(Commandline(xml), Commandline(result.FixedText));
    }

    [Fact]
    public void An_appended_key_value_device_cannot_use_a_libvirt_bus()
    {
        var xml = AppendedDomain.Xml(ivshmem: "ivshmem-plain,id=lg,memdev=looking-glass,bus=pci.1,addr=0x0");
        var ex = Assert.Throws<VfioKit.Diagnostics.InputException>(() => VmConfigFile.Parse("win10.xml", xml));
        Assert.Contains("bus=pci.1: no such bus", ex.Message);
        Assert.Contains("JSON", ex.Message);
    }

    [Fact]
    public void Proxmox_args_are_read_by_the_qemu_front_end_after_qemu_servers_options()
    {
        var config = VmConfigFile.Parse("100.conf", Proxmox);
        var lg = config.Topology.FindDevice("lg");
        Assert.NotNull(lg);
        Assert.Equal("pcie.0", lg.Placement!.Bus);
        var tuning = ProxmoxTuningReader.Read(config.Proxmox!);
        Assert.Equal("host", tuning.CpuModel);
        Assert.Empty(tuning.HyperV); // ostype: win11's flags were on qemu-server's -cpu, which args: replaces
        Assert.True(tuning.KvmHidden);
        Assert.Equal(40L << 20, Assert.Single(tuning.SharedMemories).SizeBytes);
        var report = Linter.Lint(new ConfigDocument("100.conf", Proxmox, ConfigFormat.Proxmox));
        var vk201 = Assert.Single(report.Findings, f => f.RuleId == RuleIds.HyperVEnlightenmentsMissing);
        Assert.False(vk201.Fixable);
        Assert.Contains("args:", vk201.Message);
        Assert.Equal(8, vk201.Location.Line);
        Assert.Contains(report.Findings, f => f.RuleId == RuleIds.LookingGlassSize);
    }

    [Theory]
    [InlineData("-device \"ivshmem-plain,memdev=ivshmem\" -object memory-backend-file,id=ivshmem,share=on,size=32M")]
    [InlineData("-cpu 'host,kvm=off,hv_vendor_id=\"x y\"' -smbios type=0,vendor=American\\ Megatrends")]
    [InlineData("-set device.hostpci0.x-igd-opregion=on -cpu host,+x;y #not-a-comment")]
    [InlineData("-device \"a\\\"b\" -global 'c\\d'")]
    public void Proxmox_args_split_exactly_like_perls_shellwords(string args)
    {
        var perl = Lab.LibvirtdFixture.Run("perl", "-MText::ParseWords", "-e", "print join(qq{\\n}, shellwords($ARGV[0]))", "--", args);
        Assert.Equal(0, perl.Exit);
        var ours = ProxmoxArgs.Split(args, (_, m) => new InvalidOperationException(m)).Select(w => w.Text);
        Assert.Equal(perl.Out.Split('\n'), ours);
    }

    [Fact]
    public void An_unbalanced_quote_in_args_is_bad_input_at_its_column()
    {
        var ex = Assert.Throws<VfioKit.Diagnostics.InputException>(() => VmConfigFile.Parse("100.conf", "machine: q35\nargs: -cpu 'host\n"));
        Assert.Equal((2, 12), (ex.Line, ex.Column));
        Assert.Contains("unbalanced", ex.Message);
    }
}
