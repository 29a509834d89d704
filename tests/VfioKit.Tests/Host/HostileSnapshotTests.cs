using System.Diagnostics;
using VfioKit.Files;
using VfioKit.Host;
using VfioKit.Host.Cpu;
using VfioKit.Tests.Cli;
using VfioKit.Tests.Fixing;

namespace VfioKit.Tests.Host;

/// <summary>Snapshots and romfiles that try to make a reader leave its root, block, or read forever.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class HostileSnapshotTests : IDisposable
{
    private const string Secret = "root:$6$vfiokit-test-secret:19000:0:99999:7:::";
    private readonly TempDirectory _temp = new("vfiokit-hostile-");
    private readonly string _root;
    private readonly string _outside;

    public HostileSnapshotTests()
    {
        _root = _temp.File("snapshot");
        Assert.Equal(0, ToolRun.Of("cp", "-a", TestPaths.DataFile("hosts", "smp8-dies"), _root).ExitCode);
        _outside = _temp.File("shadow");
        File.WriteAllText(_outside, Secret + "\n");
    }

    public void Dispose() => _temp.Dispose();

    private string In(string rel) => Path.Combine(_root, rel);

    private void Replace(string rel, Action<string> make)
    {
        File.Delete(In(rel));
        make(In(rel));
    }

    [Fact]
    public void A_symlink_out_of_the_snapshot_is_not_followed()
    {
        Replace("proc/cmdline", p => File.CreateSymbolicLink(p, Path.GetRelativePath(Path.GetDirectoryName(p)!, _outside)));
        var fs = new SysfsRoot(_root);
        Assert.False(fs.TryReadText("proc/cmdline", out _));
        Assert.Null(new SysfsText(_root).TryRead("proc/cmdline"));
        var run = CliRun.Of("host", "--root", _root, "--json");
        Assert.DoesNotContain("vfiokit-test-secret", run.Out + run.Error);
    }

    [Fact]
    public void An_absolute_symlink_resolves_inside_the_snapshot_as_in_a_chroot()
    {
        Directory.CreateDirectory(In("etc"));
        File.WriteAllText(In("etc/shadow"), "the snapshot's own file\n");
        Replace("proc/cmdline", p => File.CreateSymbolicLink(p, "/etc/shadow"));
        Assert.Equal("the snapshot's own file", new SysfsRoot(_root).ReadTextOrNull("proc/cmdline"));
        Replace("proc/cmdline", p => File.CreateSymbolicLink(p, "/../../../../../" + _outside));
        Assert.Null(new SysfsRoot(_root).ReadTextOrNull("proc/cmdline"));
    }

    [Fact]
    public void A_fifo_a_device_and_dev_zero_are_not_read()
    {
        Replace("proc/cmdline", p => Assert.Equal(0, ToolRun.Of("mkfifo", p).ExitCode));
        Replace("proc/meminfo", p => Assert.Equal(0, ToolRun.Of("mknod", p, "c", "1", "5").ExitCode)); // a /dev/zero node
        Replace("proc/modules", p => File.CreateSymbolicLink(p, "/dev/zero"));
        var clock = Stopwatch.StartNew();
        var fs = new SysfsRoot(_root);
        foreach (var rel in new[] { "proc/cmdline", "proc/meminfo", "proc/modules" })
        {
            Assert.False(fs.TryReadText(rel, out _), rel);
            Assert.Null(new SysfsText(_root).TryRead(rel));
            Assert.False(fs.TryStream(rel, _ => true), rel);
        }
        var run = CliRun.Of("host", "--root", _root, "--json");
        Assert.Contains("\"", run.Out);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_file_larger_than_16_MiB_is_not_read()
    {
        Replace("proc/cpuinfo", p => { using var f = File.Create(p); f.SetLength(RootDirectory.MaxFileBytes + 1); });
        Assert.Null(new SysfsRoot(_root).ReadTextOrNull("proc/cpuinfo"));
        Assert.Null(new SysfsText(_root).TryRead("proc/cpuinfo"));
        File.WriteAllText(In("proc/cpuinfo"), "processor\t: 0\n");
        Assert.Equal("processor\t: 0", new SysfsRoot(_root).ReadTextOrNull("proc/cpuinfo"));
    }

    [Fact]
    public void A_huge_cpu_list_is_refused_fast_with_a_note()
    {
        File.WriteAllText(In("sys/devices/system/cpu/online"), "0-1048575\n");
        File.WriteAllText(In("sys/devices/system/cpu/possible"), "0-1048575\n");
        var clock = Stopwatch.StartNew();
        var topo = CpuTopologyReader.Read(new SysfsText(_root));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Contains(topo.Notes, n => n.Contains("online '0-1048575' is not a list of CPU ids 0-8191"));
        Assert.True(topo.Online.Max <= CpuList.MaxCpu);
        Assert.False(CpuList.TryParse("0-8192", out _));
        Assert.True(CpuList.TryParse("0-8191", out var all) && all.Count == 8192);
        Assert.True(CpuList.TryParse(string.Join(",", Enumerable.Repeat("0-8191", 1000)), out var repeated) && repeated.Count == 8192);
        Assert.False(CpuList.TryParseMask(new string('f', 4096), out _));
    }

    [Fact]
    public async Task Romfile_checks_never_open_a_fifo_or_a_device()
    {
        var fifo = _temp.File("rom.fifo");
        Assert.Equal(0, ToolRun.Of("mkfifo", fifo).ExitCode);
        var rom = _temp.File("gpu.rom");
        File.WriteAllBytes(rom, [0x55, 0xAA]);
        var link = _temp.File("link.rom");
        File.CreateSymbolicLink(link, rom);
        Assert.False(RegularFile.IsReadable(fifo));
        Assert.False(RegularFile.IsReadable("/dev/null"));
        Assert.False(RegularFile.IsReadable(_temp.Path));
        Assert.False(RegularFile.IsReadable(_temp.File("absent.rom")));
        Assert.True(RegularFile.IsReadable(rom));
        Assert.True(RegularFile.IsReadable(link));

        // lint --host / on a config whose romfile is a FIFO: it finishes, and says the romfile is unusable.
        var config = _temp.File("vm.conf");
        File.WriteAllText(config, $"bios: ovmf\ncores: 8\ncpu: host\nhostpci0: 0000:0b:00,pcie=1,romfile={fifo}\nmachine: q35\nmemory: 16384\nostype: win11\n");
        var lint = await Task.Run(() => CliRun.Of("lint", config, "--host", "/")).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Contains("VK207", lint.Out);
    }
}
