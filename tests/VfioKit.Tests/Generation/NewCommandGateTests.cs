using System.Diagnostics;
using VfioKit.Formats.Libvirt;
using VfioKit.Formats.Qemu;
using VfioKit.Host;
using VfioKit.Tests.Cli;
using VfioKit.Tests.Lab;
using Xunit;
using Xunit.Abstractions;
using VfioKit.Files;

namespace VfioKit.Tests.Generation;

/// <summary>
/// Quality gates of `vfiokit new` over every lab host snapshot (made from real QEMU guests) and an option matrix.
/// Oracles: libvirt's RNG schema (virt-xml-validate), the real libvirtd 9.0 (virsh define, domxml-to-native),
/// shellcheck and bash, and vfiokit lint with the snapshot as host.
/// </summary>
[Collection(LibvirtdCollection.Name)]
public sealed class NewCommandGateTests(LibvirtdFixture libvirtd, ITestOutputHelper output) : IDisposable
{
    private static readonly string Hosts = Path.Combine(TestPaths.Data, "hosts");

    /// <summary>Every snapshot with a viable GPU, and its GPU slot (the lab GPU: virtio-vga fn0 + ich9-intel-hda fn1).</summary>
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        var options = new[]
        {
            "--os windows --looking-glass 2560x1440 --disk-size 20G",
            "--os linux --hugepages off --firmware seabios",
            "--os windows --looking-glass 3840x2160:hdr --hugepages 2M --disk /var/lib/images/win 11.qcow2",
        };
        foreach (var dir in Directory.GetDirectories(Hosts).Order())
        {
            var host = HostModel.Read(new SysfsRoot(dir));
            foreach (var gpu in host.Gpus.Where(g => g.Viability.Verdict != Viability.NotViable && g.Functions.Count >= 2))
                for (var i = 0; i < options.Length; i++)
                    data.Add(Path.GetFileName(dir) + "|" + gpu.Slot, options[i]);
        }
        return data;
    }

    public static IEnumerable<object[]> CasesOnBothPaths() => VirtTypes.Cross(Cases());

    private static string[] Args(string snapshotAndGpu, string options, string format, string output)
    {
        var (snapshot, gpu) = (snapshotAndGpu.Split('|')[0], snapshotAndGpu.Split('|')[1]);
        var args = new List<string> { "new", "--root", Path.Combine(Hosts, snapshot), "--gpu", gpu, "--memory", "2G", "--vcpus", Vcpus(snapshot),
            "--format", format, "--output", output, "--force", "--name", "gate " + snapshot };
        var words = options.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            // "--disk PATH WITH SPACE": the rest of the line is the path.
            if (words[i] == "--disk") { args.Add("--disk"); args.Add(string.Join(' ', words[(i + 1)..])); break; }
            args.Add(words[i]);
        }
        return [.. args];
    }

    [SkippableTheory]
    [MemberData(nameof(CasesOnBothPaths))]
    public void Libvirt_output_is_valid_defined_by_libvirtd_and_lint_clean(string snapshotAndGpu, string options, string virtType)
    {
        var libvirtdPath = libvirtd.Under(virtType, output);
        var file = Temp("domain.xml");
        var run = CliRun.Of(Args(snapshotAndGpu, options, "libvirt", file));
        Assert.True(run.ExitCode == 0, run.Error);

        var validate = LibvirtdFixture.Validate(file);
        Assert.True(validate.Exit == 0, $"virt-xml-validate: {validate.Err}{validate.Out}\n{File.ReadAllText(file)}");
        var define = libvirtdPath.Define(file, DomainXml.Load(file).Name!);
        Assert.True(define.Exit == 0, $"virsh define: {define.Err}\n{File.ReadAllText(file)}");

        AssertLintClean(snapshotAndGpu, file);
        AssertGpuBehindOnePort(LibvirtTopology.Load(file), snapshotAndGpu);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Qemu_script_passes_shellcheck_bash_and_lint(string snapshotAndGpu, string options)
    {
        var file = Temp("launch.sh");
        var run = CliRun.Of(Args(snapshotAndGpu, options, "qemu", file));
        Assert.True(run.ExitCode == 0, run.Error);
        var sc = LibvirtdFixture.Run("shellcheck", file);
        Assert.True(sc.Exit == 0, $"shellcheck: {sc.Out}{sc.Err}");
        var syntax = LibvirtdFixture.Run("bash", "-n", file);
        Assert.True(syntax.Exit == 0, syntax.Err);
        AssertLintClean(snapshotAndGpu, file);
        AssertGpuBehindOnePort(QemuCommandLine.Load(file), snapshotAndGpu);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Proxmox_config_is_lint_clean(string snapshotAndGpu, string options)
    {
        if (options.Contains("--disk ", StringComparison.Ordinal)) options = options[..options.IndexOf("--disk ", StringComparison.Ordinal)].Trim();
        var file = Temp("100.conf");
        var run = CliRun.Of(Args(snapshotAndGpu, options, "proxmox", file));
        Assert.True(run.ExitCode == 0, run.Error);
        var text = File.ReadAllText(file);
        Assert.Contains("machine: q35", text);
        Assert.Matches(@"hostpci0: 0000:[0-9a-f]{2}:[0-9a-f]{2},pcie=1", text);
        // With --hugepages off the config locks memory with `args: -overcommit mem-lock=on`, which VK203 accepts.
        if (options.Contains("--hugepages off", StringComparison.Ordinal)) Assert.Contains("mem-lock=on", text);
        AssertLintClean(snapshotAndGpu, file);
    }

    [SkippableTheory]
    [MemberData(nameof(VirtTypes.Both), MemberType = typeof(VirtTypes))]
    public void Libvirt_xml_and_libvirtds_qemu_argv_give_the_same_gpu_topology(string virtType)
    {
        var libvirtdPath = libvirtd.Under(virtType, output);
        foreach (var snapshot in new[] { "q35-gpu-iommu", "smp8-dies" })
        {
            var host = HostModel.Read(new SysfsRoot(Path.Combine(Hosts, snapshot)));
            var gpu = host.Gpus.First(g => g.Viability.Verdict != Viability.NotViable && g.Functions.Count >= 2);
            var file = Temp("native.xml");
            // hugepages off: domxml-to-native refuses hugepage backing when hugetlbfs is not mounted on this machine.
            var run = CliRun.Of(Args(snapshot + "|" + gpu.Slot, "--hugepages off --looking-glass 1920x1080 --disk-size 8G", "libvirt", file));
            Assert.True(run.ExitCode == 0, run.Error);
            var native = libvirtdPath.ToNative(file);
            Assert.True(native.Exit == 0, native.Err);

            var fromXml = LibvirtTopology.Load(file);
            var fromArgv = QemuCommandLine.Parse(native.Out, "domxml-to-native");
            foreach (var d in fromXml.Configured.Where(d => d.IsPassthrough || d.Controller is not null || d.Driver == "ivshmem-plain"))
            {
                var other = fromArgv.FindDevice(d.Id!);
                Assert.True(other is not null, $"{snapshot}: {d.Id} missing from libvirt's argv");
                // Bus and slot.function; the origin differs by nature (libvirt's auto-added USB port is "assumed" in the XML).
                Assert.True(d.Placement!.Bus == other!.Placement!.Bus && d.Placement.Address == other.Placement.Address, $"{snapshot}: {d.Id} at {d.Placement} in the XML, {other.Placement} in libvirt's argv");
                Assert.Equal(d.Multifunction, other.Multifunction);
                Assert.Equal(d.HostAddress, other.HostAddress);
            }
            // The host link reaches QEMU through <qemu:commandline> -global.
            var link = gpu.Display.Pcie!.LinkCapability!.Value;
            Assert.Equal(link.Width.ToString(System.Globalization.CultureInfo.InvariantCulture), fromArgv.Global("pcie-root-port", "x-width"));
        }
    }

    [Fact]
    public void Hostile_name_and_paths_never_run_in_the_script()
    {
        var marker = Path.Combine(Path.GetTempPath(), "vfiokit-pwned-" + Guid.NewGuid().ToString("N"));
        var host = HostModel.Read(new SysfsRoot(Path.Combine(Hosts, "q35-gpu-iommu")));
        var gpu = host.Gpus.First(g => g.Functions.Count >= 2).Slot.ToString();
        var name = $"win 11 $(touch {marker}) `touch {marker}` \"q\" 'a' ü $HOME ;x";
        var disk = $"/tmp/a dir/$(touch {marker}).qcow2";
        var file = Temp("hostile.sh");
        var run = CliRun.Of("new", "--root", Path.Combine(Hosts, "q35-gpu-iommu"), "--gpu", gpu, "--memory", "1G", "--vcpus", "2",
            "--format", "qemu", "--name", name, "--disk", disk, "--looking-glass", "1920x1080", "--output", file, "--force");
        Assert.True(run.ExitCode == 0, run.Error);

        Assert.Equal(0, LibvirtdFixture.Run("bash", "-n", file).Exit);
        var sc = LibvirtdFixture.Run("shellcheck", file);
        Assert.True(sc.Exit == 0, sc.Out);
        var dry = LibvirtdFixture.Run("bash", file, "--dry-run");
        Assert.True(dry.Exit == 0, dry.Err);
        Assert.False(File.Exists(marker), "the script ran a command substitution from the name");
        var argv = dry.Out.TrimEnd('\n').Split('\n');
        Assert.Equal("qemu-system-x86_64", argv[0]);
        // QEMU gets the name exactly as given, its commas doubled for QEMU's option syntax.
        Assert.Contains($"guest={name.Replace(",", ",,", StringComparison.Ordinal)},debug-threads=on", argv);
        Assert.Contains(argv, a => a.EndsWith("file=" + disk, StringComparison.Ordinal));
        // Unknown arguments are refused before anything runs.
        Assert.Equal(2, LibvirtdFixture.Run("bash", file, "--bogus").Exit);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void Boot_gpu_and_non_viable_group_are_refused_without_force()
    {
        var numa = Path.Combine(Hosts, "numa2-pxb");
        var boot = HostModel.Read(new SysfsRoot(numa)).Gpus.First(g => g.BootVga);
        var refused = CliRun.Of("new", "--root", numa, "--gpu", boot.Slot.ToString(), "--memory", "1G", "--vcpus", "2", "--format", "qemu");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("boot GPU", refused.Error);
        Assert.Equal("", refused.Out);

        var switchHost = Path.Combine(Hosts, "q35-switch-groups");
        var bad = HostModel.Read(new SysfsRoot(switchHost)).Gpus.First(g => g.Viability.Verdict == Viability.NotViable);
        var run = CliRun.Of("new", "--root", switchHost, "--gpu", bad.Slot.ToString(), "--memory", "1G", "--vcpus", "2", "--format", "libvirt");
        Assert.Equal(2, run.ExitCode);
        foreach (var member in bad.Viability.MustGoAlong) Assert.Contains(member.ToString(), run.Error);
    }

    private static void AssertLintClean(string snapshotAndGpu, string file)
    {
        var lint = CliRun.Of("lint", "--host", Path.Combine(Hosts, snapshotAndGpu.Split('|')[0]), "--fail-on", "info", file);
        Assert.True(lint.ExitCode == 0, $"lint: {lint.Out}{lint.Error}\n{File.ReadAllText(file)}");
    }

    /// <summary>As many vCPUs (up to 2) as the biggest node holds after the planner keeps one core for the host.</summary>
    private static string Vcpus(string snapshot)
    {
        var cpu = HostModel.Read(new SysfsRoot(Path.Combine(Hosts, snapshot))).Cpu;
        var biggest = cpu.Nodes.Count == 0 ? cpu.Online.Count : cpu.Nodes.Max(n => n.Cpus.Count);
        return Math.Clamp(biggest - 2, 1, 2).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Every function of the GPU slot behind one pcie-root-port, host function numbers, multifunction on fn 0.</summary>
    private static void AssertGpuBehindOnePort(VfioKit.Vm.VmTopology topology, string snapshotAndGpu)
    {
        var slot = snapshotAndGpu.Split('|')[1];
        var functions = topology.Configured.Where(d => d.IsPassthrough && d.HostAddress!.Value.Slot.ToString() == slot).ToList();
        Assert.True(functions.Count >= 2, "the lab GPU has a display and an audio function");
        var port = Assert.Single(functions.Select(f => f.Placement!.Bus).Distinct());
        Assert.Equal("pcie-root-port", topology.FindDevice(port)!.Driver);
        foreach (var f in functions)
        {
            Assert.Equal(f.HostAddress!.Value.Function, f.Placement!.Address.Function);
            Assert.Equal(f.HostAddress.Value.Function == 0, f.Multifunction);
        }
    }

    private readonly List<TempDirectory> _temps = [];

    private string Temp(string name)
    {
        var dir = new TempDirectory("vfiokit-new-");
        _temps.Add(dir);
        return dir.File(name);
    }

    public void Dispose()
    {
        foreach (var dir in _temps) dir.Dispose();
    }
}
