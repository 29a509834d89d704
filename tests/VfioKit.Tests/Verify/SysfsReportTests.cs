using System.Diagnostics;
using VfioKit.Diagnostics;
using VfioKit.Files;
using VfioKit.Probe;
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
    public void The_guests_device_path_gives_the_port_above_and_a_path_outside_sys_devices_is_not_followed()
    {
        var functions = GuestSysfs.Read(new SysfsRoot("/")).Functions;
        Assert.True(functions.Length >= 2, "this machine lists fewer than two PCI functions");
        var (child, port) = (functions[1], functions[0]);
        string WithPath(string path)
        {
            var marker = $"@attr {LinuxSysfsCollector.PathAttribute} ";
            var lines = Collected.Value.Split('\n');
            var dev = Array.FindIndex(lines, l => l.StartsWith($"@dev {child.Address} ", StringComparison.Ordinal));
            var at = Array.FindIndex(lines, dev, l => l.StartsWith(marker, StringComparison.Ordinal));
            lines[at] = marker + path;
            return string.Join('\n', lines);
        }

        var nested = GuestReportReader.Parse(WithPath($"/sys/devices/pci0000:00/{port.Address}/{child.Address}"), "nested.txt");
        Assert.Equal(port.Address, nested.Find(child.Address)!.Parent);

        var escape = Path.Combine(Path.GetTempPath(), "vfiokit-escape-" + Environment.ProcessId);
        var hostile = GuestReportReader.Parse(WithPath($"/sys/devices/../../..{escape}/{child.Address}"), "hostile.txt");
        var read = hostile.Find(child.Address);
        Assert.NotNull(read);
        Assert.Null(read.Parent);
        Assert.Equal(child.ExpressType, read.ExpressType);
        Assert.Equal(child.ClassCode, read.ClassCode);
        Assert.False(Directory.Exists(escape));
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

    [Fact]
    public void The_collector_script_the_probe_guests_init_and_the_agent_guests_init_pass_shellcheck()
    {
        using var dir = new TempDirectory("vfiokit-sysfs-shellcheck-");
        foreach (var (name, text) in new[] { ("collector.sh", "#!/bin/sh\n" + LinuxSysfsCollector.Script), ("probe-init.sh", GuestProgram.InitScript), ("init.sh", AgentGuest.InitScript) })
        {
            var path = dir.File(name);
            File.WriteAllText(path, text);
            var check = new ProcessStartInfo("shellcheck") { ArgumentList = { "-s", "sh", path }, RedirectStandardOutput = true };
            using var p = Process.Start(check)!;
            var findings = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, name + ":\n" + findings);
        }
    }
}
