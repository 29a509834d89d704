using VfioKit.Cli.Lint;
using VfioKit.Formats;
using VfioKit.Rules;
using VfioKit.Tests.Host;
using VfioKit.Linting;
using VfioKit.Host;
using VfioKit.Files;

namespace VfioKit.Tests.Rules;

/// <summary>
/// The --host rules against a host read the way `vfiokit lint --host ROOT` reads it: a sysfs tree laid out
/// as the kernel lays it out (GPU, HDMI audio and a NIC sharing IOMMU group 12, the GPU's I/O BAR in its
/// `resource` file) plus the CPU topology of a real AMD EPYC 7451 dump (8 NUMA nodes, siblings n and n+48).
/// </summary>
public sealed class HostRuleTests(HostRuleTests.Lab lab) : IClassFixture<HostRuleTests.Lab>
{
    private readonly IHostFacts _host = lab.Host;

    /// <summary>The host tree, built and read once for all tests of the class.</summary>
    public sealed class Lab : IDisposable
    {
        private readonly SysfsTree _tree = new();

        public IHostFacts Host { get; }

        public Lab()
        {
        _tree.ReadyKernel()
            .Add(new SysfsTree.Function("0000:0b:00.0") { Vendor = 0x10de, Device = 0x2204, Class = 0x030000, Group = 12, NumaNode = "1", Driver = "vfio-pci", MaxLinkSpeed = "16.0 GT/s PCIe", MaxLinkWidth = "16" })
            .Add(new SysfsTree.Function("0000:0b:00.1") { Vendor = 0x10de, Device = 0x1aef, Class = 0x040300, Group = 12, NumaNode = "1", Driver = "vfio-pci" })
            .Add(new SysfsTree.Function("0000:0c:00.0") { Vendor = 0x8086, Device = 0x1533, Class = 0x020000, Group = 12, NumaNode = "1", Driver = "igb" })
            // BAR 0 memory, BAR 5 I/O ports (flags 0x101): what a GPU's VGA-compatible I/O BAR looks like.
            .Write("sys/devices/pci0000:00/0000:0b:00.0/resource",
                "0x00000000fb000000 0x00000000fbffffff 0x0000000000040200\n0x0 0x0 0x0\n0x0 0x0 0x0\n0x0 0x0 0x0\n0x0 0x0 0x0\n0x000000000000e000 0x000000000000e07f 0x0000000000040101");
        var dump = TestPaths.DataFile("topologies", "x86_64-epyc_7451");
        Copy(Path.Combine(dump, "sys", "devices", "system"), Path.Combine(_tree.Root, "sys", "devices", "system"));
        Copy(Path.Combine(dump, "proc"), Path.Combine(_tree.Root, "proc"), overwrite: false);
        Host = new HostModelFacts(HostModel.Read(new SysfsRoot(_tree.Root)));
        }

        public void Dispose() => _tree.Dispose();
    }

    private IReadOnlyList<Finding> Lint(string text, ConfigFormat format) =>
        Linter.Lint(new ConfigDocument("vm", text, format), host: _host).Findings;

    private const string Q35 = "qemu-system-x86_64 -M q35 -cpu host \\\n  -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0{0} \\\n";

    [Fact]
    public void The_host_is_read_as_the_kernel_shows_it()
    {
        Assert.True(_host.IsAmd);
        Assert.Equal(96, _host.Cpus.Count);
        Assert.Equal(_host.Cpus.Single(c => c.Cpu == 0).Core, _host.Cpus.Single(c => c.Cpu == 48).Core);
        Assert.True(_host.Function(VfioKit.Pci.PciAddress.Parse("0000:0b:00.0"))!.HasIoBar);
        Assert.False(_host.Function(VfioKit.Pci.PciAddress.Parse("0000:0b:00.1"))!.HasIoBar);
        Assert.Equal(3, _host.GroupEndpoints(12).Count);
    }

    [Fact]
    public void VK107_missing_audio_function_warns_and_a_group_member_left_behind_is_an_error()
    {
        var findings = Lint(string.Format(Q35, "") + "  -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0\n", ConfigFormat.Qemu)
            .Where(f => f.RuleId == RuleIds.GroupMemberNotPassedThrough).ToList();
        Assert.Equal(2, findings.Count);
        Assert.Contains(findings, f => f.Severity == Severity.Error && f.Message.Contains("0000:0b:00.1") && f.Message.Contains("HDMI/DP audio"));
        Assert.Contains(findings, f => f.Severity == Severity.Error && f.Message.Contains("0000:0c:00.0") && f.Message.Contains("not viable"));
        var all = Lint(string.Format(Q35, "") + "  -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0.0,multifunction=on \\\n  -device vfio-pci,host=0000:0b:00.1,bus=rp1,addr=0x0.1 \\\n  -device pcie-root-port,id=rp2,chassis=2,slot=2,bus=pcie.0 \\\n  -device vfio-pci,host=0000:0c:00.0,bus=rp2,addr=0x0\n", ConfigFormat.Qemu);
        Assert.DoesNotContain(all, f => f.RuleId == RuleIds.GroupMemberNotPassedThrough);
    }

    [Fact]
    public void VK108_compares_the_port_with_the_host_link()
    {
        var slow = Lint(string.Format(Q35, ",x-speed=8,x-width=16") + "  -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0\n", ConfigFormat.Qemu);
        var f = Assert.Single(slow, x => x.RuleId == RuleIds.PortLinkBelowHost);
        Assert.Contains("8GT/s x16", f.Message);
        Assert.Contains("host link 16GT/s x16", f.Message);
        // The fix sets the host's link exactly.
        var fixedText = VfioKit.Linting.Fixer.Fix(new ConfigDocument("vm", string.Format(Q35, ",x-speed=8,x-width=16") + "  -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0\n", ConfigFormat.Qemu),
            new VfioKit.Linting.FixOptions(Host: _host)).FixedText;
        Assert.Contains("pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0,x-speed=16,x-width=16", fixedText);
        Assert.DoesNotContain(Lint(string.Format(Q35, ",x-speed=16,x-width=16") + "  -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0\n", ConfigFormat.Qemu),
            x => x.RuleId == RuleIds.PortLinkBelowHost);
    }

    [Fact]
    public void VK113_io_reserve_0_above_a_gpu_with_an_io_bar()
    {
        var bad = Lint(string.Format(Q35, ",io-reserve=0") + "  -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0\n", ConfigFormat.Qemu);
        Assert.Contains(bad, f => f.RuleId == RuleIds.IoReserveZero && f.Fixable);
        var audioOnly = Lint(string.Format(Q35, ",io-reserve=0") + "  -device vfio-pci,host=0000:0b:00.1,bus=rp1,addr=0x0\n", ConfigFormat.Qemu);
        Assert.DoesNotContain(audioOnly, f => f.RuleId == RuleIds.IoReserveZero);
    }

    [Fact]
    public void VK208_fires_for_an_nvidia_gpu_with_the_split_irqchip()
    {
        var text = "qemu-system-x86_64 -machine q35,kernel-irqchip=split -cpu host \\\n  -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 \\\n  -device vfio-pci,host=0000:{0},bus=rp1,addr=0x0\n";
        Assert.Contains(Lint(string.Format(text, "0b:00.0"), ConfigFormat.Qemu), f => f.RuleId == RuleIds.SplitIrqchipWithNvidia);
        Assert.DoesNotContain(Lint(string.Format(text, "0c:00.0"), ConfigFormat.Qemu), f => f.RuleId == RuleIds.SplitIrqchipWithNvidia);
    }

    private static string Libvirt(string cputune, string topology = "<topology sockets='1' dies='1' cores='2' threads='2'/>") => $"""
        <domain type='kvm'>
          <name>vm</name>
          <memory unit='KiB'>8388608</memory>
          <vcpu placement='static'>4</vcpu>
          {cputune}
          <os firmware='efi'>
            <type arch='x86_64' machine='q35'>hvm</type>
          </os>
          <cpu mode='host-passthrough' check='none'>
            {topology}
            <feature policy='require' name='topoext'/>
          </cpu>
          <devices>
            <controller type='pci' index='0' model='pcie-root'/>
            <hostdev mode='subsystem' type='pci' managed='yes'>
              <driver name='vfio'/>
              <source>
                <address domain='0x0000' bus='0x0b' slot='0x00' function='0x0'/>
              </source>
            </hostdev>
          </devices>
        </domain>
        """;

    [Fact]
    public void VK204_unpinned_split_smt_pairs_far_node_and_emulator_on_vcpu_cores()
    {
        Assert.Contains(Lint(Libvirt(""), ConfigFormat.Libvirt), f => f.RuleId == RuleIds.VcpuPinning && f.Message.Contains("not pinned"));
        var node1 = _host.Cpus.Where(c => c.Node == 1).OrderBy(c => c.Cpu).ToList();
        var (a, b) = (node1[0].Cpu, node1.First(c => c.Core == node1[0].Core && c.Cpu != node1[0].Cpu).Cpu);
        var (c2, d2) = (node1[1].Cpu, node1.First(c => c.Core == node1[1].Core && c.Cpu != node1[1].Cpu).Cpu);
        string Pins(int v0, int v1, int v2, int v3, string emulator) =>
            $"<cputune><vcpupin vcpu='0' cpuset='{v0}'/><vcpupin vcpu='1' cpuset='{v1}'/><vcpupin vcpu='2' cpuset='{v2}'/><vcpupin vcpu='3' cpuset='{v3}'/><emulatorpin cpuset='{emulator}'/></cputune>";
        var good = Lint(Libvirt(Pins(a, b, c2, d2, "0")), ConfigFormat.Libvirt);
        Assert.DoesNotContain(good, f => f.RuleId == RuleIds.VcpuPinning);
        var split = Lint(Libvirt(Pins(a, c2, b, d2, "0")), ConfigFormat.Libvirt);
        Assert.Contains(split, f => f.RuleId == RuleIds.VcpuPinning && f.Message.Contains("SMT pair"));
        var node0 = _host.Cpus.Where(c => c.Node == 0).OrderBy(c => c.Cpu).Select(c => c.Cpu).ToList();
        var far = Lint(Libvirt(Pins(node0[0], node0[0] + 48, node0[1], node0[1] + 48, "2")), ConfigFormat.Libvirt);
        Assert.Contains(far, f => f.RuleId == RuleIds.VcpuPinning && f.Message.Contains("GPU is on node 1"));
        var emulator = Lint(Libvirt(Pins(a, b, c2, d2, a.ToString(System.Globalization.CultureInfo.InvariantCulture))), ConfigFormat.Libvirt);
        Assert.Contains(emulator, f => f.RuleId == RuleIds.VcpuPinning && f.Message.Contains("emulator"));
    }

    internal static void Copy(string from, string to, bool overwrite = true)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            if (overwrite || !File.Exists(target)) File.Copy(file, target, overwrite);
        }
    }
}
