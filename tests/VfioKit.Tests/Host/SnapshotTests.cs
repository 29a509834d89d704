using System.Text.Json;
using VfioKit.Cli.Json;
using VfioKit.Host;
using VfioKit.Tests.Cli;
using VfioKit.Files;

namespace VfioKit.Tests.Host;

/// <summary>`vfiokit snapshot` copies exactly what the host model reads, so the snapshot shows the same host.</summary>
public class SnapshotTests
{
    private static string Json(HostModel host) => JsonSerializer.Serialize(HostJsonMapping.From(host), HostJsonContext.Default.HostJson);

    [Fact]
    public void A_snapshot_of_this_machine_shows_the_same_host()
    {
        var live = new SysfsRoot("/");
        var before = HostModel.Read(live);
        using var output = new SysfsTree();
        HostSnapshot.Write(live, output.Root);
        var after = HostModel.Read(new SysfsRoot(output.Root));
        Assert.Equal(Json(before), Json(after));
        Assert.NotEmpty(after.PciFunctions);
        // Symlinks stay symlinks, relative, as in sysfs.
        var first = before.PciFunctions[0].Address;
        var link = new FileInfo(Path.Combine(output.Root, "sys/bus/pci/devices", first.ToString())).LinkTarget;
        Assert.NotNull(link);
        Assert.StartsWith("../", link);
    }

    [Fact]
    public void The_snapshot_holds_only_what_was_read()
    {
        var live = new SysfsRoot("/");
        HostModel.Read(live);
        using var output = new SysfsTree();
        HostSnapshot.Write(live, output.Root);
        var noLinks = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint };
        var written = Directory.EnumerateFiles(output.Root, "*", noLinks)
            .Where(f => new FileInfo(f).Length > 0)
            .Select(f => Path.GetRelativePath(output.Root, f).Replace('\\', '/'))
            .ToHashSet();
        var read = live.FilesRead.Where(kv => kv.Value is { Length: > 0 }).Select(kv => kv.Key).ToList();
        // One file with content per file read (reached through the device links) or streamed (pci.ids), and none of the device
        // attributes the model does not use.
        Assert.DoesNotContain(written, f => f.EndsWith("/local_cpus") || f.EndsWith("/modalias") || f.EndsWith("/uevent"));
        // The BARs' resource file is part of the model (lint --host's VK113 reads I/O BARs from it), so a snapshot has it.
        Assert.Contains(written, f => f.EndsWith("/resource"));
        Assert.Equal(read.Count + live.FilesStreamed.Count, written.Count);
        Assert.Contains("proc/cmdline", written);
    }

    [Fact]
    public void Config_spaces_are_copied_whole_though_the_model_reads_only_their_capability_chains()
    {
        // A real guest's snapshot: 4096-byte config spaces, of which the model walks a few hundred bytes.
        var source = TestPaths.DataFile("hosts", "q35-gpu-iommu");
        var recorded = new SysfsRoot(source);
        var host = HostModel.Read(recorded);
        using var output = new SysfsTree();
        HostSnapshot.Write(recorded, output.Root);
        Assert.NotEmpty(host.PciFunctions);
        foreach (var f in host.PciFunctions)
        {
            var rel = Path.Combine("sys", "bus", "pci", "devices", f.Address.ToString(), "config");
            Assert.Equal(File.ReadAllBytes(Path.Combine(source, rel)), File.ReadAllBytes(Path.Combine(output.Root, rel)));
        }
    }

    [Fact]
    public void Snapshot_and_host_through_the_cli_agree_on_a_handmade_gpu_host()
    {
        using var tree = new SysfsTree().ReadyKernel();
        tree.Add(new SysfsTree.Function("0000:05:00.0") { Vendor = 0x10de, Device = 0x2204, Class = 0x030000, Config = SysfsTree.RealConfig("05:00.0", 0x10de, 0x2204), Driver = "nvidia", Group = 4, ResetMethod = "bus" });
        tree.Add(new SysfsTree.Function("0000:05:00.1") { Vendor = 0x10de, Device = 0x1aef, Class = 0x040300, Config = SysfsTree.RealConfig("05:00.1", 0x10de, 0x1aef), Driver = "snd_hda_intel", Group = 4, ResetMethod = "bus" });
        using var output = new SysfsTree();
        var snap = Path.Combine(output.Root, "snap");

        var run = CliRun.Of("snapshot", "--root", tree.Root, "--output", snap);
        Assert.Equal(0, run.ExitCode);
        var original = CliRun.Of("host", "--root", tree.Root, "--json");
        var copy = CliRun.Of("host", "--root", snap, "--json");
        Assert.Equal(original.ExitCode, copy.ExitCode);
        Assert.Equal(original.Out, copy.Out);
        Assert.Contains("\"0000:05:00.1\"", copy.Out);
        Assert.Equal("../../../bus/pci/drivers/nvidia", new FileInfo(Path.Combine(snap, "sys/devices/pci0000:00/0000:05:00.0/driver")).LinkTarget);
    }

    [Fact]
    public void Snapshot_refuses_a_directory_that_is_not_empty()
    {
        using var output = new SysfsTree();
        output.Write("something", "x");
        var run = CliRun.Of("snapshot", "--output", output.Root);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--output", run.Error);
    }
}
