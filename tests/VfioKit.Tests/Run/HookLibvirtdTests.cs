using System.Diagnostics;
using VfioKit.Generation;
using VfioKit.Run;
using VfioKit.Tests.Cli;
using Xunit;

namespace VfioKit.Tests.Run;

/// <summary>
/// The libvirt hook as libvirt runs it: `vfiokit hook install --root TREE` writes the hook into a lab snapshot copy,
/// a libvirtd of the test's own (<see cref="PrivateLibvirtd"/>) reads it from there, and a real domain is started
/// (TCG) and destroyed. The domain passes its "GPU" as `-device vfio-pci,host=0000:81:00.0` in &lt;qemu:commandline&gt;,
/// which the hook reads as a passed function (as it reads a PCI &lt;hostdev&gt;, which libvirt itself would try to
/// bind, and this machine has no IOMMU to bind one to); the domain's emulator is a wrapper that gives QEMU a
/// pci-testdev in its place, as `run --stand-ins` does. The hook's vfiokit works under --root TREE, so its cgroup
/// writes land in the tree: narrowed while the domain runs, byte for byte as before once it is destroyed.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class HookLibvirtdTests
{
    private const string Domain = "vk-hook-gpu";

    /// <summary>QEMU with a pci-testdev for each vfio-pci function (its id, bus and address kept).</summary>
    private const string Emulator = """
        #!/bin/sh
        # Stand-in emulator for a test domain: vfio-pci functions become pci-testdev, everything else is QEMU's.
        for arg in "$@"; do
          shift
          case "$arg" in
            vfio-pci,host=*) arg="pci-testdev,${arg#vfio-pci,host=*,}" ;;
          esac
          set -- "$@" "$arg"
        done
        exec qemu-system-x86_64 "$@"

        """;

    private static string DomainXml(string emulator, string vcpuCpus) => $"""
        <domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
          <name>{Domain}</name>
          <memory unit='MiB'>64</memory>
          <vcpu>1</vcpu>
          <cputune><vcpupin vcpu='0' cpuset='{vcpuCpus}'/><emulatorpin cpuset='0'/></cputune>
          <os><type arch='x86_64' machine='q35'>hvm</type></os>
          <on_poweroff>destroy</on_poweroff>
          <devices>
            <emulator>{emulator}</emulator>
            <controller type='usb' model='none'/>
            <memballoon model='none'/>
          </devices>
          <qemu:commandline>
            <qemu:arg value='-device'/>
            <qemu:arg value='vfio-pci,host=0000:81:00.0,id=gpu,bus=pcie.0,addr=0x6'/>
          </qemu:commandline>
        </domain>
        """;

    private static readonly string[] Cpusets = ["init.scope", "system.slice", "user.slice"];

    [Fact]
    public void ADomainStartedAndDestroyedRunsPrepareAndReleaseAndLeavesTheTreeByteForByte()
    {
        using var tree = new HostTree();
        using var files = new TempDirectory("vk-hook-files-");
        // The hook runs vfiokit as one program: this test's build, through dotnet.
        var vfiokit = Executable(files.File("vfiokit"),
            $"#!/bin/sh\nexec {ShellText.Quote(Environment.ProcessPath!)} {ShellText.Quote(Path.Combine(AppContext.BaseDirectory, "vfiokit.dll"))} \"$@\"\n");
        var emulator = Executable(files.File("qemu-stand-in"), Emulator);
        Shellcheck(emulator);
        var install = CliRun.Of("hook", "install", "--vfiokit", vfiokit, "--root", tree.Root);
        Assert.True(install.ExitCode == 0, install.Error);
        var before = tree.Digest();
        var journal = JournalFile.PathOf(tree.Root, Domain);

        using var libvirtd = new PrivateLibvirtd(tree.PathOf("etc/libvirt/hooks"));
        var xml = files.File("domain.xml");
        File.WriteAllText(xml, DomainXml(emulator, "1"));
        var create = libvirtd.Virsh("create", xml);
        Assert.True(create.Exit == 0, $"virsh create: {create.Err}\nQEMU: {libvirtd.QemuLog(Domain)}\nlibvirtd: {libvirtd.Log()}");
        try
        {
            // prepare/begin ran vfiokit: host tasks are kept off the vCPU's CPU 1 (emulatorpin is not isolated),
            // journaled until release.
            Assert.Contains("running", libvirtd.Virsh("domstate", Domain).Out);
            foreach (var cgroup in Cpusets) Assert.Equal("0,2-3", tree.Read($"sys/fs/cgroup/{cgroup}/cpuset.cpus"));
            Assert.All(JournalFile.Read(journal)!.Entries, e => Assert.Equal(StepState.Applied, e.State));
            // The stand-in took the GPU's place in the guest's QEMU.
            Assert.Contains("pci-testdev,id=gpu", File.ReadAllText($"/proc/{QemuPid(libvirtd)}/cmdline").Replace('\0', ' '));
        }
        finally
        {
            var destroy = libvirtd.Virsh("destroy", Domain);
            Assert.True(destroy.Exit == 0, destroy.Err);
        }
        // release/end ran vfiokit: everything undone, the journal gone.
        Assert.False(File.Exists(journal), "the journal outlived release");
        var after = tree.Digest();
        Assert.True(before == after, "tree differs after release:\n" + HostTree.Differences(before, after));
    }

    [Fact]
    public void AHookThatRefusesStopsTheStartAndChangesNothing()
    {
        // The vCPU on every CPU the tree has online: nothing would be left for the host, so prepare refuses, and
        // libvirt does not start the domain and shows vfiokit's reason.
        using var tree = new HostTree();
        using var files = new TempDirectory("vk-hook-files-");
        var vfiokit = Executable(files.File("vfiokit"),
            $"#!/bin/sh\nexec {ShellText.Quote(Environment.ProcessPath!)} {ShellText.Quote(Path.Combine(AppContext.BaseDirectory, "vfiokit.dll"))} \"$@\"\n");
        var emulator = Executable(files.File("qemu-stand-in"), Emulator);
        Assert.Equal(0, CliRun.Of("hook", "install", "--vfiokit", vfiokit, "--root", tree.Root).ExitCode);
        var before = tree.Digest();

        using var libvirtd = new PrivateLibvirtd(tree.PathOf("etc/libvirt/hooks"));
        var xml = files.File("domain.xml");
        File.WriteAllText(xml, DomainXml(emulator, "0-3"));
        var create = libvirtd.Virsh("create", xml);
        Assert.NotEqual(0, create.Exit);
        Assert.Contains("none would be left for the host", create.Err);
        Assert.Empty(libvirtd.Virsh("list", "--name").Out.Trim());
        var after = tree.Digest();
        Assert.True(before == after, "tree differs after a refused start:\n" + HostTree.Differences(before, after));
    }

    private static int QemuPid(PrivateLibvirtd libvirtd)
    {
        var text = libvirtd.Virsh("qemu-monitor-command", Domain, "--hmp", "info status").Out;
        Assert.Contains("running", text);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string cmdline;
            try { cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")); }
            catch (IOException) { continue; }
            if (cmdline.StartsWith("qemu-system-x86_64\0", StringComparison.Ordinal) || cmdline.Contains("/qemu-system-x86_64\0", StringComparison.Ordinal))
                if (cmdline.Contains($"guest={Domain},", StringComparison.Ordinal)) return pid;
        }
        throw new InvalidOperationException($"no QEMU of {Domain} in /proc");
    }

    private static string Executable(string path, string text)
    {
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }

    private static void Shellcheck(string path)
    {
        var check = new ProcessStartInfo("shellcheck") { ArgumentList = { path }, RedirectStandardOutput = true };
        using var p = Process.Start(check)!;
        var findings = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, findings);
    }
}
