using System.Text.Json;

namespace VfioKit.Tests.Cli;

public class GuestViewCommandTests
{
    private static string Seed(string name) => TestPaths.DataFile("qemu", name);

    [Fact]
    public void Tree_shows_each_gpu_function_with_its_guest_address_type_and_port_link()
    {
        var run = CliRun.Of("guest-view", Seed("seed-ioh3420.txt"), "--qemu-version", "7.2");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("01:00.0 vfio-pci host=$NVIDIA.0 — Endpoint", run.Out);
        Assert.Contains("01:00.1 vfio-pci host=$NVIDIA.1 — Endpoint", run.Out);
        Assert.Contains("00:03.0 root_port1 ioh3420 — RootPort, link 2.5GT/s x1", run.Out);
        Assert.Contains("no problems", run.Out);
    }

    /// <summary>The corpus's kaist script: a port with id=pcie.0. The tree hangs the root bus's devices off the root
    /// bus, not off that port (whose own bus nothing can name), as QEMU 7.2's info qtree shows them.</summary>
    [Fact]
    public void Tree_keeps_root_bus_devices_off_a_port_named_pcie_0()
    {
        var run = CliRun.Of("guest-view", TestPaths.DataFile("RealConfigs", "qemu-kaist-demikernel-port-id-pcie0.sh"), "--qemu-version", "7.2");
        Assert.Equal(0, run.ExitCode);
        var lines = run.Out.Split('\n');
        string Line(string text) => Assert.Single(lines, l => l.Contains(text, StringComparison.Ordinal));
        // Root-bus devices are one level below pcie.0 ("├── " at column 0); the functions one level below their ports.
        Assert.StartsWith("    ├── 00:03.0 e1000", Line("00:03.0 e1000"));
        Assert.StartsWith("    ├── 00:05.0 pcie.1 ioh3420", Line("00:05.0 pcie.1"));
        Assert.Contains("02:00.0 vfio-pci host=d8:00.1 — Endpoint", Line("host=d8:00.1"));
        Assert.Contains("03:00.0 vfio-pci host=af:00.1 — Endpoint", Line("host=af:00.1"));
        Assert.DoesNotContain("ff:", run.Out);
    }

    [Fact]
    public void Json_has_the_documented_fields()
    {
        var run = CliRun.Of("guest-view", Seed("seed-rootbus.txt"), "--json");
        Assert.Equal(0, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Out);
        var gpu = doc.RootElement.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("id").GetString() == "gpu");
        Assert.Equal("vfio-pci", gpu.GetProperty("driver").GetString());
        Assert.Equal("${GPU}.0", gpu.GetProperty("host").GetString());
        Assert.Equal("0000:00:05.0", gpu.GetProperty("guestAddress").GetString());
        Assert.Equal(["pcie.0", "gpu"], gpu.GetProperty("path").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("RootComplexIntegratedEndpoint", gpu.GetProperty("guestSees").GetString());
        Assert.Equal(JsonValueKind.Null, gpu.GetProperty("link").ValueKind);
        Assert.Equal(JsonValueKind.Null, gpu.GetProperty("portLink").ValueKind);
        Assert.Equal(0, doc.RootElement.GetProperty("problems").GetArrayLength());
    }

    [Fact]
    public void Problems_give_exit_code_1_and_name_the_line()
    {
        var path = Path.Combine(Path.GetTempPath(), $"vfiokit-topo-{Guid.NewGuid():N}.sh");
        File.WriteAllText(path, "qemu-system-x86_64 -M q35 \\\n  -device pcie-root-port,id=a \\\n  -device pcie-root-port,id=b\n");
        try
        {
            var run = CliRun.Of("guest-view", path, "--json");
            Assert.Equal(1, run.ExitCode);
            using var doc = JsonDocument.Parse(run.Out);
            var p = doc.RootElement.GetProperty("problems")[0];
            Assert.Equal("error", p.GetProperty("severity").GetString());
            Assert.StartsWith("Can't add chassis slot", p.GetProperty("message").GetString());
            Assert.Equal(("b", 3), (p.GetProperty("device").GetString(), p.GetProperty("line").GetInt32()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Bad_input_is_exit_code_2_with_file_line_and_token()
    {
        var path = Path.Combine(Path.GetTempPath(), $"vfiokit-topo-{Guid.NewGuid():N}.sh");
        File.WriteAllText(path, "qemu-system-x86_64 -M q35 \\\n  -device '{\"driver\":\"vfio-pci\",\"host\":\"01:00.0\",}'\n");
        try
        {
            var run = CliRun.Of("guest-view", path);
            Assert.Equal(2, run.ExitCode);
            Assert.Contains($"{path}:2:", run.Error);
            Assert.Contains("bad JSON", run.Error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("--qemu-version", "seven")]
    public void Bad_option_is_exit_code_2_naming_the_option(string option, string value)
    {
        var run = CliRun.Of("guest-view", Seed("seed-ioh3420.txt"), option, value);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(option, run.Error);
    }

    [Fact]
    public void Missing_file_is_exit_code_2()
    {
        var run = CliRun.Of("guest-view", "/nonexistent/launch.sh");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("/nonexistent/launch.sh", run.Error);
    }

    [Fact]
    public void Old_qemu_version_changes_the_root_port_link()
    {
        var path = Path.Combine(Path.GetTempPath(), $"vfiokit-topo-{Guid.NewGuid():N}.args");
        File.WriteAllText(path, "-M\npc-q35-3.1\n-device\npcie-root-port,id=rp,chassis=1\n-device\ne1000e,id=nic,bus=rp\n");
        try
        {
            using var doc = JsonDocument.Parse(CliRun.Of("guest-view", path, "--json").Out);
            var nic = doc.RootElement.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("id").GetString() == "nic");
            Assert.Equal(2.5, nic.GetProperty("portLink").GetProperty("speedGTs").GetDouble());
            Assert.Equal(1, nic.GetProperty("portLink").GetProperty("width").GetInt32());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
