using System.Diagnostics;
using System.Text.Json;
using VfioKit.Tests.Cli;
using VfioKit.Tests.Lab;
using VfioKit.Tests.Probe;
using VfioKit.Verify.Agent;
using Xunit.Abstractions;

namespace VfioKit.Tests.Verify;

/// <summary>
/// `verify DOMAIN --connect URI` through libvirt's own library against the suite's real libvirtd: a lab guest (the lab
/// kernel, an initramfs with Debian's qemu-ga and no pciutils: <see cref="AgentGuest"/>) started as a transient domain
/// with an org.qemu.guest_agent.0 channel. Two e1000e stand in for passed GPUs, one behind a pcie-root-port and one on
/// pcie.0; the configuration given to --config has vfio-pci in those places. What a user sees when the agent cannot
/// be used (not running yet, no channel, domain not running) is checked on the same daemon.
/// </summary>
[Collection(LibvirtdCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LibvirtAgentVerifyTests(LibvirtdFixture libvirtd, ITestOutputHelper output)
{
    private const string Uri = LibvirtdFixture.Uri;

    private const string Config = """
        qemu-system-x86_64 -M q35 -m 512 -nodefaults \
          -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0,addr=0x1c.0 \
          -device vfio-pci,host=0000:0b:00.0,id=gpu,bus=rp1,addr=0x0.0 \
          -device vfio-pci,host=0000:0c:00.0,id=rootbus_gpu,bus=pcie.0,addr=0x6
        """;

    /// <summary>Without a kernel the machine sits in SeaBIOS with no boot device: the channel is there, no agent ever is.</summary>
    private static string DomainXml(string name, string dir, bool agentChannel, bool kernel = true) => $"""
        <domain type='qemu'>
          <name>{name}</name>
          <memory unit='MiB'>512</memory>
          <vcpu>1</vcpu>
          <os>
            <type arch='x86_64' machine='q35'>hvm</type>
            {(kernel ? $"<kernel>{dir}/vmlinux</kernel><initrd>{dir}/initramfs.gz</initrd><cmdline>console=ttyS0 quiet panic=-1 no_timer_check</cmdline>" : "")}
          </os>
          <on_poweroff>destroy</on_poweroff>
          <on_reboot>destroy</on_reboot>
          <on_crash>destroy</on_crash>
          <devices>
            <controller type='usb' model='none'/>
            <controller type='pci' index='0' model='pcie-root'/>
            <controller type='pci' index='1' model='pcie-root-port'>
              <target chassis='1' port='0x8'/>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x1c' function='0x0'/>
            </controller>
            <controller type='virtio-serial' index='0'>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>
            </controller>
            <interface type='user'>
              <model type='e1000e'/>
              <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
            </interface>
            <interface type='user'>
              <model type='e1000e'/>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x06' function='0x0'/>
            </interface>
            {(agentChannel ? "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>" : "")}
            <serial type='file'><source path='{dir}/console.log'/><target port='0'/></serial>
            <memballoon model='none'/>
          </devices>
        </domain>
        """;

    /// <summary>A directory QEMU (run by libvirtd as libvirt-qemu) can read: the kernel, the initramfs, the domain XML.</summary>
    private static TempDirectory GuestFiles()
    {
        var dir = new TempDirectory("vfiokit-agent-guest-");
        File.SetUnixFileMode(dir.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        // A copy: libvirt's DAC driver hands the kernel and initrd to libvirt-qemu while the domain runs.
        File.Copy(ProbeLab.Kernel.Path, dir.File("vmlinux"));
        File.WriteAllBytes(dir.File("initramfs.gz"), AgentGuest.Initramfs);
        return dir;
    }

    private static (int Exit, string Out, string Err) Virsh(params string[] args) => LibvirtdFixture.Run("virsh", ["-c", Uri, .. args]);

    private static string Name(string what) => $"vfiokit-test-{what}-{Environment.ProcessId}";

    private void Start(string xmlFile)
    {
        libvirtd.EnsureRunning();
        libvirtd.EnsureVirtlogd();
        var create = Virsh("create", xmlFile);
        Assert.True(create.Exit == 0, $"virsh create: {create.Err}");
    }

    /// <summary>Waits until the guest's qemu-ga answers guest-ping through libvirt (the lab guest boots under TCG).</summary>
    private void WaitForAgent(string name, string console)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(240))
        {
            if (Virsh("qemu-agent-command", name, """{"execute":"guest-ping"}""").Exit == 0)
            {
                output.WriteLine($"the guest agent answered {clock.Elapsed.TotalSeconds:0.0} s after start");
                return;
            }
            Thread.Sleep(1000);
        }
        Assert.Fail($"the guest agent of {name} did not answer within 240 s; console:\n{(File.Exists(console) ? File.ReadAllText(console) : "(none)")}");
    }

    [Fact]
    public void A_lab_guest_with_a_real_agent_is_verified_through_libvirt_and_its_sysfs_not_lspci()
    {
        using var dir = GuestFiles();
        var name = Name("agent");
        var xml = dir.File("domain.xml");
        File.WriteAllText(xml, DomainXml(name, dir.Path, agentChannel: true));
        var config = dir.File("vm.sh");
        File.WriteAllText(config, Config);
        Start(xml);
        try
        {
            WaitForAgent(name, dir.File("console.log"));

            // The guest has no lspci: the collector must not need it.
            var noLspci = Virsh("qemu-agent-command", name, GuestAgentCommands.Exec("lspci", ["-vv"]));
            Assert.True(noLspci.Exit != 0, "the lab guest unexpectedly has lspci: " + noLspci.Out);

            var clock = Stopwatch.StartNew();
            var run = CliRun.Of("verify", name, "--connect", Uri, "--config", config, "--timeout", "120", "--json");
            output.WriteLine($"verify through libvirt took {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.True(run.ExitCode == 1, run.Out + run.Error);
            using var doc = JsonDocument.Parse(run.Out);
            Assert.Equal("sysfs", doc.RootElement.GetProperty("source").GetString());
            var functions = doc.RootElement.GetProperty("functions").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
            Assert.Equal("full-link", functions["gpu"].GetProperty("verdict").GetString());
            Assert.Equal("no-link", functions["rootbus_gpu"].GetProperty("verdict").GetString());

            var text = CliRun.Of("verify", name, "--connect", Uri, "--config", config, "--timeout", "120");
            Assert.True(text.ExitCode == 1, text.Out + text.Error);
            Assert.Contains("ok   gpu (host 0000:0b:00.0, guest 0000:01:00.0):", text.Out);
            Assert.Contains("Endpoint behind a root port", text.Out);
            Assert.Contains("FAIL rootbus_gpu (host 0000:0c:00.0, guest 0000:00:06.0): no PCIe link:", text.Out);
        }
        finally
        {
            Virsh("destroy", name);
        }
    }

    [Fact]
    public void A_domain_without_an_agent_channel_or_not_running_is_told_apart_with_the_URI_named()
    {
        using var dir = GuestFiles();
        var name = Name("nochannel");
        var xml = dir.File("domain.xml");
        File.WriteAllText(xml, DomainXml(name, dir.Path, agentChannel: false));
        libvirtd.EnsureRunning();
        libvirtd.EnsureVirtlogd();
        var define = Virsh("define", xml);
        Assert.True(define.Exit == 0, define.Err);
        try
        {
            var stopped = CliRun.Of("verify", name, "--connect", Uri, "--timeout", "5");
            Assert.True(stopped.ExitCode == 3, stopped.Out + stopped.Error);
            Assert.Contains($"domain '{name}' on {Uri} cannot take guest agent commands: is it running?", stopped.Error);

            var start = Virsh("start", name);
            Assert.True(start.Exit == 0, start.Err);
            var noChannel = CliRun.Of("verify", name, "--connect", Uri, "--timeout", "5");
            Assert.True(noChannel.ExitCode == 3, noChannel.Out + noChannel.Error);
            Assert.Contains($"domain '{name}' on {Uri} has no guest agent channel", noChannel.Error);
            Assert.Contains("name='org.qemu.guest_agent.0'", noChannel.Error);

            var unknown = CliRun.Of("verify", name + "-nonexistent", "--connect", Uri);
            Assert.True(unknown.ExitCode == 2, unknown.Out + unknown.Error);
            Assert.Contains($"no domain with this name or UUID on {Uri}", unknown.Error);
        }
        finally
        {
            Virsh("destroy", name);
            Virsh("undefine", name);
        }
    }

    [Fact]
    public void A_running_domain_whose_agent_never_connects_says_to_start_qemu_ga()
    {
        // A guest that never boots (no kernel, no disk) rather than one caught early in its boot, which a fast
        // machine could win the race against.
        using var dir = GuestFiles();
        var name = Name("silent");
        var xml = dir.File("domain.xml");
        File.WriteAllText(xml, DomainXml(name, dir.Path, agentChannel: true, kernel: false));
        Start(xml);
        try
        {
            var silent = CliRun.Of("verify", name, "--connect", Uri, "--timeout", "5");
            Assert.True(silent.ExitCode == 3, silent.Out + silent.Error);
            Assert.Contains($"the guest agent of domain '{name}' on {Uri} did not answer", silent.Error);
            Assert.Contains("start qemu-ga in the guest", silent.Error);
        }
        finally
        {
            Virsh("destroy", name);
        }
    }
}
