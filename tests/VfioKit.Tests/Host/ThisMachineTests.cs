using System.Diagnostics;
using System.Text.Json;
using VfioKit.Tests.Cli;

namespace VfioKit.Tests.Host;

/// <summary>`vfiokit host` on this machine's real /sys, checked against lspci (pciutils) reading the same machine.</summary>
public class ThisMachineTests
{
    private static JsonElement HostJson(out int exitCode)
    {
        var run = CliRun.Of("host", "--json");
        exitCode = run.ExitCode;
        Assert.True(run.Error.Length == 0, run.Error);
        return JsonDocument.Parse(run.Out).RootElement.Clone();
    }

    private static string Lspci(params string[] args)
    {
        var start = new ProcessStartInfo("lspci") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception e) { throw new InvalidOperationException("lspci is missing: install pciutils (./test.sh does)", e); }
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return text;
    }

    [Fact]
    public void Host_json_exits_0_or_1_as_readiness_says()
    {
        var json = HostJson(out var code);
        var failed = json.GetProperty("readiness").EnumerateArray().Any(c => c.GetProperty("status").GetString() == "fail");
        Assert.Equal(failed ? 1 : 0, code);
        Assert.Equal(!failed, json.GetProperty("ready").GetBoolean());
    }

    [Fact]
    public void Every_pci_function_lspci_sees_is_reported_with_its_ids_and_class()
    {
        var json = HostJson(out _);
        // lspci -Dn: "0000:00:01.0 0200: 1af4:1041 (rev 01)" -- pciutils reads the same sysfs independently.
        var expected = Lspci("-Dn").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .Select(p => $"{p[0]} {p[1].TrimEnd(':')} {p[2]}")
            .ToList();
        var actual = json.GetProperty("pciDevices").EnumerateArray()
            .Select(d => $"{d.GetProperty("address").GetString()} {d.GetProperty("classCode").GetString()![2..6]} {d.GetProperty("vendorId").GetString()![2..]}:{d.GetProperty("deviceId").GetString()![2..]}")
            .ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void The_cpu_count_is_what_the_kernel_says()
    {
        var json = HostJson(out _);
        // getconf asks the C library (sysconf _SC_NPROCESSORS_ONLN), which reads /sys/devices/system/cpu/online itself.
        var start = new ProcessStartInfo("getconf") { RedirectStandardOutput = true, ArgumentList = { "_NPROCESSORS_ONLN" } };
        using var getconf = Process.Start(start)!;
        var online = int.Parse(getconf.StandardOutput.ReadToEnd().Trim(), System.Globalization.CultureInfo.InvariantCulture);
        getconf.WaitForExit();
        var cpu = json.GetProperty("cpu");
        Assert.Equal(online, cpu.GetProperty("count").GetInt32());
        Assert.Equal(online, cpu.GetProperty("smtSiblings").EnumerateArray().Sum(s => s.GetArrayLength()));
        Assert.Equal(File.ReadAllText("/sys/devices/system/cpu/online").Trim(), cpu.GetProperty("online").GetString());
        Assert.NotEmpty(cpu.GetProperty("numaNodes").EnumerateArray());
    }

    [Fact]
    public void Vendor_names_agree_with_lspci()
    {
        var json = HostJson(out _);
        // lspci -Dmm: 0000:00:01.0 "Unclassified device [00ff]" "Red Hat, Inc." "Virtio 1.0 balloon" ...
        var lspci = Lspci("-Dmm").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(l => l[..l.IndexOf(' ')], l => l.Split('"')[3]);
        var named = 0;
        foreach (var d in json.GetProperty("pciDevices").EnumerateArray())
        {
            if (d.GetProperty("vendorName").GetString() is not { } name) continue;
            Assert.Equal(lspci[d.GetProperty("address").GetString()!], name);
            named++;
        }
        Assert.True(named > 0, "no vendor names found in pci.ids");
    }
}
