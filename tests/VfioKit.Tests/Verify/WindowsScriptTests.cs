using System.Diagnostics;
using System.Text.Json;
using VfioKit.Pci;
using VfioKit.Tests.Cli;
using VfioKit.Verify;

namespace VfioKit.Tests.Verify;

/// <summary>
/// The Windows collector under real PowerShell (the dotnet tool 7.6.10 that scripts/install-deps.sh puts in
/// .cache/pwsh): it parses with PowerShell's own parser, and it runs with Get-PnpDevice and
/// Get-PnpDeviceProperty (Windows-only) replaced by stand-ins returning the documented shapes
/// (objects with InstanceId; KeyName/Type/Data). Its output then drives the verdict.
/// </summary>
public sealed class WindowsScriptTests
{
    private static string Pwsh => Path.Combine(TestPaths.RepoRoot, ".cache", "pwsh", "pwsh");

    /// <summary>Stand-ins for the two Windows-only cmdlets, reading devices from a JSON file, then the collector dot-sourced.</summary>
    private const string Harness = """
        param([string] $Collector, [string] $Devices)
        $standIn = Get-Content -Raw -LiteralPath $Devices | ConvertFrom-Json
        function Get-PnpDevice {
            [CmdletBinding()] param([switch] $PresentOnly, [string[]] $Class)
            foreach ($d in $standIn.devices) {
                if ($Class -contains $d.class) { [pscustomobject] @{ InstanceId = $d.instanceId; Class = $d.class; Status = 'OK' } }
            }
        }
        function Get-PnpDeviceProperty {
            [CmdletBinding()] param([string] $InstanceId, [string[]] $KeyName)
            $d = $standIn.devices | Where-Object { $_.instanceId -eq $InstanceId }
            foreach ($k in $KeyName) {
                $v = $d.properties.$k
                # Windows returns every key asked for; one the device lacks has Type Empty and no Data.
                if ($null -eq $v) { [pscustomobject] @{ InstanceId = $InstanceId; KeyName = $k; Type = 'Empty'; Data = $null } }
                elseif ($v -is [string]) { [pscustomobject] @{ InstanceId = $InstanceId; KeyName = $k; Type = 'String'; Data = $v } }
                else { [pscustomobject] @{ InstanceId = $InstanceId; KeyName = $k; Type = 'UInt32'; Data = [uint32] $v } }
            }
        }
        & $Collector
        """;

    private const string RootPort = @"PCI\VEN_1B36&DEV_000C&SUBSYS_00001B36&REV_00\3&267A616A&0&E0";

    /// <summary>An NVIDIA GPU and its audio behind a QEMU root port, as Device Manager would list them.</summary>
    private static string Devices(int gpuMaxSpeed, int gpuSpeed, int portMaxSpeed) => $$"""
        { "devices": [
          { "instanceId": "PCI\\VEN_10DE&DEV_2204&SUBSYS_147D10DE&REV_A1\\4&1C3D25BB&0&00E0", "class": "Display",
            "properties": { "DEVPKEY_Device_Parent": {{JsonSerializer.Serialize(RootPort)}}, "DEVPKEY_Device_BusNumber": 1, "DEVPKEY_Device_Address": 0,
              "DEVPKEY_PciDevice_DeviceType": 2, "DEVPKEY_PciDevice_BaseClass": 3, "DEVPKEY_PciDevice_SubClass": 0,
              "DEVPKEY_PciDevice_CurrentLinkSpeed": {{gpuSpeed}}, "DEVPKEY_PciDevice_CurrentLinkWidth": 16,
              "DEVPKEY_PciDevice_MaxLinkSpeed": {{gpuMaxSpeed}}, "DEVPKEY_PciDevice_MaxLinkWidth": 16 } },
          { "instanceId": "PCI\\VEN_10DE&DEV_1AEF&SUBSYS_147D10DE&REV_A1\\4&1C3D25BB&0&01E0", "class": "MEDIA",
            "properties": { "DEVPKEY_Device_Parent": {{JsonSerializer.Serialize(RootPort)}}, "DEVPKEY_Device_BusNumber": 1, "DEVPKEY_Device_Address": 1,
              "DEVPKEY_PciDevice_DeviceType": 2, "DEVPKEY_PciDevice_BaseClass": 4, "DEVPKEY_PciDevice_SubClass": 3,
              "DEVPKEY_PciDevice_CurrentLinkSpeed": {{gpuSpeed}}, "DEVPKEY_PciDevice_CurrentLinkWidth": 16,
              "DEVPKEY_PciDevice_MaxLinkSpeed": {{gpuMaxSpeed}}, "DEVPKEY_PciDevice_MaxLinkWidth": 16 } },
          { "instanceId": {{JsonSerializer.Serialize(RootPort)}}, "class": "System",
            "properties": { "DEVPKEY_Device_Parent": "ACPI\\PNP0A08\\0", "DEVPKEY_Device_BusNumber": 0, "DEVPKEY_Device_Address": 1835008,
              "DEVPKEY_PciDevice_DeviceType": 8, "DEVPKEY_PciDevice_BaseClass": 6, "DEVPKEY_PciDevice_SubClass": 4,
              "DEVPKEY_PciDevice_CurrentLinkSpeed": {{gpuSpeed}}, "DEVPKEY_PciDevice_CurrentLinkWidth": 16,
              "DEVPKEY_PciDevice_MaxLinkSpeed": {{portMaxSpeed}}, "DEVPKEY_PciDevice_MaxLinkWidth": 32 } },
          { "instanceId": "PCI\\VEN_1234&DEV_1111&SUBSYS_11001AF4&REV_02\\3&267A616A&0&10", "class": "Display",
            "properties": { "DEVPKEY_Device_Parent": "ACPI\\PNP0A08\\0", "DEVPKEY_Device_BusNumber": 0, "DEVPKEY_Device_Address": 131072,
              "DEVPKEY_PciDevice_DeviceType": 4, "DEVPKEY_PciDevice_BaseClass": 3, "DEVPKEY_PciDevice_SubClass": 0 } }
        ] }
        """;

    private static (int Code, string Out, string Error) RunPwsh(params string[] args)
    {
        var start = new ProcessStartInfo(Pwsh) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-NoProfile", "-NonInteractive", .. args]) start.ArgumentList.Add(a);
        start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        start.Environment["POWERSHELL_UPDATECHECK"] = "Off";
        using var p = Process.Start(start) ?? throw new InvalidOperationException("pwsh did not start: run scripts/install-deps.sh");
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output.Result, error);
    }

    private static string RunCollector(TempDirectory dir, string devices)
    {
        var collector = dir.File("collector.ps1");
        var run = CliRun.Of("verify", "--windows-script");
        Assert.Equal(0, run.ExitCode);
        File.WriteAllText(collector, run.Out);
        File.WriteAllText(dir.File("harness.ps1"), Harness);
        File.WriteAllText(dir.File("devices.json"), devices);
        var (code, output, error) = RunPwsh("-File", dir.File("harness.ps1"), "-Collector", collector, "-Devices", dir.File("devices.json"));
        Assert.True(code == 0, output + error);
        return output;
    }

    [Fact]
    public void The_script_parses_with_PowerShells_own_parser()
    {
        using var dir = new TempDirectory("vfiokit-win-");
        var script = dir.File("collector.ps1");
        File.WriteAllText(script, WindowsCollector.Script);
        File.WriteAllText(dir.File("parse.ps1"), """
            param([string] $Path)
            $errors = $null
            $null = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref] $null, [ref] $errors)
            $errors | ForEach-Object { $_.ToString() }
            'errors=' + $errors.Count
            """);
        var (code, output, error) = RunPwsh("-File", dir.File("parse.ps1"), "-Path", script);
        Assert.True(code == 0, error);
        Assert.Contains("errors=0", output);
    }

    [Fact]
    public void An_idle_GPU_behind_a_16GT_s_root_port_passes_and_asks_for_a_recheck_under_load()
    {
        using var dir = new TempDirectory("vfiokit-win-");
        var json = RunCollector(dir, Devices(gpuMaxSpeed: 4, gpuSpeed: 1, portMaxSpeed: 4));
        var report = dir.File("links.json");
        File.WriteAllText(report, json);

        var run = CliRun.Of("verify", report, "--json");
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        using var doc = JsonDocument.Parse(run.Out);
        Assert.Equal("windows", doc.RootElement.GetProperty("source").GetString());
        var functions = doc.RootElement.GetProperty("functions").EnumerateArray().ToList();
        // The emulated std VGA (1234:1111) on the root bus is QEMU's own and not judged.
        Assert.Equal(["0000:01:00.0", "0000:01:00.1"], functions.Select(f => f.GetProperty("guestAddress").GetString()));
        Assert.All(functions, f => Assert.Equal("recheck-under-load", f.GetProperty("verdict").GetString()));
        Assert.Equal("0000:00:1c.0", functions[0].GetProperty("port").GetProperty("address").GetString());
        Assert.Equal("Root Port", functions[0].GetProperty("port").GetProperty("type").GetString());
    }

    [Fact]
    public void A_port_that_Windows_reports_at_2_5GT_s_below_a_16GT_s_card_fails()
    {
        using var dir = new TempDirectory("vfiokit-win-");
        var json = RunCollector(dir, Devices(gpuMaxSpeed: 4, gpuSpeed: 1, portMaxSpeed: 1));
        var report = dir.File("links.json");
        File.WriteAllText(report, json);
        var run = CliRun.Of("verify", report);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FAIL 0000:01:00.0 (guest 0000:01:00.0): the port above the GPU offers PCIe 1.0 x32, the card PCIe 4.0 x16", run.Out);
    }

    [Fact]
    public void Odd_encodings_read_as_unknown_never_as_a_guess()
    {
        const string json = """
            {"vfiokit":"windows-pci","version":1,"devices":
              {"instanceId":"PCI\\VEN_10DE&DEV_2204\\1","parent":null,"bus":"1","address":65536,"deviceType":"2",
               "baseClass":3,"subClass":0,"currentLinkSpeed":9,"currentLinkWidth":0,"maxLinkSpeed":0,"maxLinkWidth":64}}
            """;
        var guest = WindowsReport.Parse(json, "links.json");
        var gpu = Assert.Single(guest.Functions);
        Assert.Equal(PciAddress.Parse("0000:01:01.0"), gpu.Address);
        Assert.Equal(PcieDeviceType.Endpoint, gpu.ExpressType);
        Assert.Equal(new PciLink(LinkSpeed.Unknown, 0), gpu.LinkStatus);
        Assert.Equal(new PciLink(LinkSpeed.Unknown, 0), gpu.LinkCapability);
        Assert.Equal((0x10de, 0x2204), (gpu.VendorId, gpu.DeviceId));
    }
}
