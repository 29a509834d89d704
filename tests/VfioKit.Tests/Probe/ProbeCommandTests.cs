using System.Text.Json;
using VfioKit.Probe;
using VfioKit.Tests.Cli;

namespace VfioKit.Tests.Probe;

/// <summary>`vfiokit probe` as a user runs it: real QEMU, the lab kernel, exit codes and messages.</summary>
public sealed class ProbeCommandTests
{
    private static string Gpu => TestPaths.DataFile("probe", "gpu-root-port.sh");

    private static string[] WithKernel(params string[] args) => [.. args, "--kernel", ProbeLab.Tools.Kernel];

    [Fact]
    public void A_GPU_behind_a_root_port_is_seen_as_predicted_and_the_JSON_says_so()
    {
        var run = CliRun.Of(WithKernel("probe", Gpu, "--json"));
        Assert.True(run.ExitCode == 0, run.Out + run.Error);

        using var doc = JsonDocument.Parse(run.Out);
        var root = doc.RootElement;
        Assert.Equal("completed", root.GetProperty("outcome").GetString());
        Assert.True(root.GetProperty("agrees").GetBoolean());
        Assert.Equal("7.2", root.GetProperty("qemuVersion").GetString());
        Assert.Contains("-machine accel=kvm", root.GetProperty("dropped").EnumerateArray().Select(e => e.GetString()));

        var devices = root.GetProperty("devices").EnumerateArray().ToDictionary(d => d.GetProperty("name").GetString()!);
        var gpu = devices["gpu"];
        Assert.Equal("0000:01:00.0", gpu.GetProperty("guestAddress").GetString());
        Assert.Equal("bochs-display", gpu.GetProperty("standIn").GetProperty("driver").GetString());
        var checks = gpu.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("property").GetString()!);
        Assert.Equal("Endpoint", checks["type"].GetProperty("seen").GetString());
        Assert.True(checks["type"].GetProperty("agrees").GetBoolean());
        Assert.Equal("16GT/s x16", checks["portLink"].GetProperty("seen").GetString());
        Assert.False(checks["link"].GetProperty("faithful").GetBoolean());
        Assert.False(checks["portLinkStatus"].GetProperty("faithful").GetBoolean());

        var audio = devices["gpu_audio"];
        Assert.Equal("0000:01:00.1", audio.GetProperty("guestAddress").GetString());
        Assert.Equal("qemu-xhci", audio.GetProperty("standIn").GetProperty("driver").GetString());
        Assert.Equal("0000:02:00.0", devices["disk"].GetProperty("guestAddress").GetString());
        Assert.Empty(root.GetProperty("unexpected").EnumerateArray());
    }

    [Fact]
    public void The_table_shows_the_prediction_beside_what_the_guest_saw_and_a_progress_line()
    {
        var run = CliRun.Of(WithKernel("probe", TestPaths.DataFile("qemu", "seed-ioh3420.txt")));
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("01:00.0", run.Out);
        Assert.Contains("Root Port", run.Out);
        Assert.Contains("2.5GT/s x1", run.Out); // ioh3420
        Assert.Contains("the guest agrees with the prediction", run.Out);
        Assert.Contains("probe: starting QEMU", run.Error);
        Assert.Contains("probe: guest powering off", run.Error);
    }

    [Fact]
    public void QEMU_refusing_the_topology_is_shown_verbatim_with_the_option_and_exit_code_1()
    {
        var file = Path.Combine(Path.GetTempPath(), $"vfiokit-refused-{Guid.NewGuid():n}.sh");
        File.WriteAllText(file, "qemu-system-x86_64 -M q35 -nodefaults \\\n  -device pcie-root-port,id=rp,chassis=1,slot=1,bus=pcie.0,addr=0x1c \\\n" +
                                "  -device pcie-root-port,id=rp2,chassis=2,slot=2,bus=pcie.0,addr=0x1c.1\n");
        try
        {
            var run = CliRun.Of(WithKernel("probe", file));
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("the offending option is -device", run.Out);
            Assert.Contains("qemu-system-x86_64: -device pcie-root-port,id=rp2,bus=pcie.0,addr=0x1c.0x1,chassis=2,slot=2: PCI: single function device can't be populated in function 1c.1", run.Out);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void A_guest_that_does_not_finish_in_time_is_stopped_with_exit_code_3()
    {
        var run = CliRun.Of(WithKernel("probe", Gpu, "--timeout", "0.5"));
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("did not finish within", run.Out.Replace("\n", " ", StringComparison.Ordinal));
        Assert.Contains("Console so far", run.Out);
    }

    [Fact]
    public void A_missing_kernel_says_how_to_get_one_with_exit_code_3()
    {
        var run = CliRun.Of("probe", Gpu, "--kernel", "/nonexistent/vmlinuz");
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("/nonexistent/vmlinuz (from --kernel) does not exist", run.Error);
        Assert.Contains("scripts/install-deps.sh", run.Error);
    }

    [Fact]
    public void A_kernel_that_is_not_a_kernel_is_refused_with_exit_code_3()
    {
        var run = CliRun.Of("probe", Gpu, "--kernel", Gpu);
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("is not an x86 Linux kernel image", run.Error);
    }

    [Fact]
    public void Without_QEMU_in_PATH_the_probe_says_how_to_install_it_with_exit_code_3()
    {
        var dotnet = Environment.ProcessPath!;
        Assert.EndsWith("dotnet", dotnet); // the test host runs under the dotnet muxer
        var cli = Path.Combine(AppContext.BaseDirectory, "vfiokit.dll");
        var run = ExternalTool.Run(dotnet, [cli, "probe", Gpu, "--kernel", ProbeLab.Tools.Kernel],
            environment: new Dictionary<string, string> { ["PATH"] = "/nonexistent" });
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("qemu-system-x86_64 was not found in PATH (/nonexistent)", run.Error);
        Assert.Contains("apt-get install qemu-system-x86", run.Error);
    }

    [Theory]
    [InlineData("--timeout", "-1")]
    [InlineData("--timeout", "abc")]
    public void Bad_options_are_bad_input(string option, string value)
    {
        var run = CliRun.Of("probe", Gpu, option, value);
        Assert.Equal(2, run.ExitCode);
    }

    [Fact]
    public void A_missing_file_is_bad_input() => Assert.Equal(2, CliRun.Of("probe", "/nonexistent.sh").ExitCode);
}
