using System.Diagnostics;
using VfioKit.Diagnostics;
using VfioKit.Files;
using VfioKit.Tests.Cli;
using VfioKit.Verify;
using VfioKit.Verify.Agent;

namespace VfioKit.Tests.Verify;

/// <summary>The Linux agent collector's output (the fixed sysfs script, run here by this machine's /bin/sh), read
/// as a report: whole, cut short, with a hostile path, and from a file as `verify FILE` reads it.</summary>
public sealed class SysfsReportTests
{
    private static readonly Lazy<string> Collected = new(() =>
    {
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(LinuxSysfsCollector.Script);
        using var sh = Process.Start(psi)!;
        var text = sh.StandardOutput.ReadToEnd();
        sh.WaitForExit();
        Assert.Equal(0, sh.ExitCode);
        return text;
    });

    [Fact]
    public void A_report_cut_short_says_how_far_it_got_and_is_bad_input()
    {
        var text = Collected.Value;
        var cut = text[..(text.Length / 2)];
        var e = Assert.Throws<InputException>(() => GuestReportReader.Parse(cut, "half.txt"));
        Assert.Contains("a guest sysfs report cut short", e.Message);
        Assert.Contains("no @vfiokit-end line", e.Message);
    }

    [Fact]
    public void A_path_outside_sys_devices_is_not_followed_and_the_function_is_still_read()
    {
        var text = Collected.Value;
        var first = GuestSysfs.Read(new SysfsRoot("/")).Functions.First(f => f.Parent is not null);
        var marker = $"@attr {LinuxSysfsCollector.PathAttribute} ";
        var lines = text.Split('\n');
        var dev = Array.FindIndex(lines, l => l.StartsWith($"@dev {first.Address} ", StringComparison.Ordinal));
        var path = Array.FindIndex(lines, dev, l => l.StartsWith(marker, StringComparison.Ordinal));
        lines[path] = marker + "/sys/devices/../../../tmp/vfiokit-escape/" + first.Address;
        var guest = GuestReportReader.Parse(string.Join('\n', lines), "hostile.txt");
        var read = guest.Find(first.Address);
        Assert.NotNull(read);
        Assert.Null(read.Parent);
        Assert.Equal(first.ExpressType, read.ExpressType);
        Assert.False(Directory.Exists("/tmp/vfiokit-escape"));
    }

    [Fact]
    public void The_collectors_output_saved_to_a_file_is_a_report_verify_reads()
    {
        using var dir = new TempDirectory("vfiokit-sysfs-report-");
        var file = dir.File("guest-sysfs.txt");
        File.WriteAllText(file, Collected.Value);
        var run = CliRun.Of("verify", file, "--config", VerifyLab.VfioConfig(dir, "rootport-generic"), "--json");
        Assert.True(run.ExitCode == 1, run.Out + run.Error);
        Assert.Contains("\"source\": \"sysfs\"", run.Out);
        Assert.Contains("\"verdict\": \"missing\"", run.Out);
    }
}
