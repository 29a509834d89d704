using System.Globalization;
using System.Text.Json;
using VfioKit.Formats.Qemu;
using VfioKit.Probe;
using VfioKit.Tests.Cli;
using Xunit.Abstractions;

namespace VfioKit.Tests.Probe;

/// <summary>
/// probe runs under KVM where /dev/kvm works and under TCG otherwise, and says which one ran and how long the boot
/// took. The TCG path runs on every machine; the KVM path where /dev/kvm works, and is skipped with the reason elsewhere.
/// </summary>
public sealed class AcceleratorTests(ITestOutputHelper output)
{
    private static string Gpu => TestPaths.DataFile("probe", "gpu-root-port.sh");
    private static readonly string? KvmMissing = KvmDevice.WhyUnusable();

    [Fact]
    public void A_missing_kvm_node_means_tcg_with_the_reason()
    {
        var accel = Accelerator.Choose(AcceleratorRequest.Auto, "/nonexistent/kvm");
        Assert.Equal("tcg", accel.Name);
        Assert.Equal("no /nonexistent/kvm", accel.Reason);
    }

    [Fact]
    public void A_file_that_is_not_kvm_fails_the_api_version_ioctl_and_means_tcg()
    {
        using var temp = new TempDirectory("vfiokit-kvm-");
        var fake = temp.File("kvm");
        File.WriteAllText(fake, "");
        var accel = Accelerator.Choose(AcceleratorRequest.Auto, fake);
        Assert.Equal("tcg", accel.Name);
        Assert.StartsWith($"{fake}: KVM_GET_API_VERSION failed", accel.Reason);
    }

    [Fact]
    public void Pvm_is_kvm_that_cannot_boot_an_ordinary_kernel_unless_a_hardware_kvm_is_beside_it()
    {
        using var temp = new TempDirectory("vfiokit-modules-");
        Assert.False(KvmDevice.IsPvm(temp.Path));
        Directory.CreateDirectory(temp.File("sys/module/kvm"));
        Directory.CreateDirectory(temp.File("sys/module/kvm_pvm"));
        Assert.True(KvmDevice.IsPvm(temp.Path));
        Directory.CreateDirectory(temp.File("sys/module/kvm_amd"));
        Assert.False(KvmDevice.IsPvm(temp.Path));
        // Loaded as a module (a line of /proc/modules) counts the same as built in.
        Directory.Delete(temp.File("sys/module/kvm_amd"));
        Assert.True(KvmDevice.IsPvm(temp.Path));
        Directory.CreateDirectory(temp.File("proc"));
        File.WriteAllText(temp.File("proc/modules"), "kvm_intel 421888 0 - Live 0x0\n");
        Assert.False(KvmDevice.IsPvm(temp.Path));

        // This machine: where /dev/kvm is PVM's, auto means TCG and says so; elsewhere PVM is never the reason.
        var accel = Accelerator.Choose(AcceleratorRequest.Auto);
        output.WriteLine($"accelerator path: {accel.Name} ({accel.Reason})");
        if (KvmDevice.IsPvm() && File.Exists(KvmDevice.DefaultPath)) Assert.Equal(("tcg", true), (accel.Name, accel.Reason.Contains("is PVM (kvm_pvm")));
        else Assert.DoesNotContain("PVM", accel.Reason);
    }

    [Fact]
    public void Kvm_asked_for_where_it_does_not_work_is_a_missing_tool_naming_why()
    {
        var e = Assert.Throws<MissingToolException>(() => Accelerator.Choose(AcceleratorRequest.Kvm, "/nonexistent/kvm"));
        Assert.Contains("no /nonexistent/kvm", e.Message);
        Assert.Equal("tcg", Accelerator.Choose(AcceleratorRequest.Tcg, "/nonexistent/kvm").Name);
    }

    [Fact]
    public void The_json_and_the_table_say_which_accelerator_ran_and_the_boot_time()
    {
        var expected = KvmMissing is null ? "kvm" : "tcg";
        output.WriteLine($"accelerator path: {expected} ({KvmMissing ?? "/dev/kvm works"})");
        var run = CliRun.Of("probe", Gpu, "--json", "--kernel", ProbeLab.Tools.Kernel);
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        using var doc = JsonDocument.Parse(run.Out);
        var accel = doc.RootElement.GetProperty("accelerator");
        Assert.Equal(expected, accel.GetProperty("name").GetString());
        Assert.Equal(KvmMissing ?? "/dev/kvm works", accel.GetProperty("reason").GetString());
        var seconds = doc.RootElement.GetProperty("elapsedSeconds").GetDouble();
        Assert.InRange(seconds, 0.05, 180);

        var table = CliRun.Of("probe", Gpu, "--accel", "tcg", "--kernel", ProbeLab.Tools.Kernel);
        Assert.True(table.ExitCode == 0, table.Out + table.Error);
        Assert.Matches(@"guest booted in \d+\.\d s under TCG \(asked for \(--accel tcg\)\), kernel ", table.Out);
    }

    [SkippableFact]
    public void Where_kvm_works_probe_boots_under_kvm_and_sees_the_same_tree()
    {
        Skip.If(KvmMissing is not null, $"kvm path skipped: KVM cannot run a guest here ({KvmMissing}); the TCG path is checked by the other tests");
        var kvm = CliRun.Of("probe", Gpu, "--json", "--accel", "kvm", "--kernel", ProbeLab.Tools.Kernel);
        Assert.True(kvm.ExitCode == 0, kvm.Out + kvm.Error);
        using var doc = JsonDocument.Parse(kvm.Out);
        Assert.Equal("kvm", doc.RootElement.GetProperty("accelerator").GetProperty("name").GetString());
        Assert.True(doc.RootElement.GetProperty("agrees").GetBoolean());
        output.WriteLine("boot under KVM: " + doc.RootElement.GetProperty("elapsedSeconds").GetDouble().ToString(CultureInfo.InvariantCulture) + " s");
    }

    [SkippableFact]
    public void Kvm_asked_for_where_it_does_not_work_exits_3_with_the_reason()
    {
        Skip.If(KvmMissing is null, "KVM works here: --accel kvm boots (checked by Where_kvm_works_probe_boots_under_kvm_and_sees_the_same_tree)");
        var run = CliRun.Of("probe", Gpu, "--accel", "kvm", "--kernel", ProbeLab.Tools.Kernel);
        Assert.Equal(3, run.ExitCode);
        Assert.Contains(KvmMissing, run.Error);
    }

    [Fact]
    public async Task A_machine_kvm_does_not_run_is_booted_again_under_tcg_which_says_why()
    {
        // smm=on: PVM (cloud VMs' KVM without nested virtualization) refuses it; without /dev/kvm QEMU cannot
        // initialise KVM at all; a real KVM runs it. Each machine takes one of these paths, and prints which.
        var topology = QemuCommandLine.Parse(
            "qemu-system-x86_64 -machine q35,smm=on -m 512 -device pcie-root-port,id=rp,chassis=1,bus=pcie.0,addr=0x1c.0 " +
            "-device vfio-pci,host=0000:0b:00.0,id=gpu,bus=rp,addr=0x0", "smm-on");
        var probe = await VmProbe.RunAsync(topology, ProbeLab.Setup with { Accelerator = Accelerator.Kvm("asked for by the test") });
        output.WriteLine($"accelerator path: {probe.Accelerator.Name} ({probe.Accelerator.Reason})");

        Assert.True(probe.Run.Completed, probe.Run.Explain());
        Assert.True(probe.Findings!.Agrees, string.Join("\n", probe.Findings.Describe()));
        if (probe.Accelerator.IsKvm)
            Assert.Null(KvmMissing);
        else
            Assert.Matches(@"^KVM did not run the guest \((?!.*warning: )[^\n]+\); fell back to TCG$", probe.Accelerator.Reason);
    }

    [Fact]
    public void What_stopped_qemu_under_kvm_is_its_error_not_the_warnings_before_it()
    {
        // QEMU 7.2's own words under PVM (kvm_pvm, Debian 12 cloud VM, 2026-12-07) for -machine q35,smm=on.
        const string pvm = "qemu-system-x86_64: warning: host doesn't support requested feature: CPUID.01H:ECX.pni [bit 0]\n" +
                           "qemu-system-x86_64: System Management Mode not supported by this hypervisor.\n";
        Assert.Equal("qemu-system-x86_64: System Management Mode not supported by this hypervisor.", Run(GuestRunOutcome.Refused, pvm).KvmFailure);
        Assert.Equal("Could not access KVM kernel module: No such file or directory",
            Run(GuestRunOutcome.Refused, "Could not access KVM kernel module: No such file or directory\nqemu-system-x86_64: failed to initialize kvm: No such file or directory\n").KvmFailure);
        Assert.StartsWith("the guest did not finish within", Run(GuestRunOutcome.TimedOut, "").KvmFailure);
        // The guest ran (it printed), or QEMU ended after it started: not a KVM refusal, nothing to boot again.
        Assert.Null(Run(GuestRunOutcome.TimedOut, "", console: "[    0.000000] Linux version").KvmFailure);
        Assert.Null(Run(GuestRunOutcome.Ended, pvm).KvmFailure);
        Assert.Null(Run(GuestRunOutcome.Completed, "").KvmFailure);

        static GuestRunResult Run(GuestRunOutcome outcome, string errors, string console = "") =>
            new(outcome, outcome == GuestRunOutcome.Refused ? 1 : null, console, errors, TimeSpan.FromSeconds(1), []);
    }

    [Fact]
    public void The_places_looked_in_for_a_kernel_name_each_place_once()
    {
        using var temp = new TempDirectory("vfiokit-nokernel-");
        var lab = temp.File("lab/vmlinuz");
        var search = new ToolSearch(null, null, null, BootDirectory: temp.File("boot"),
            FallbackKernels: [lab, Path.Combine(temp.Path, "aot", "..", "lab", "vmlinuz")]);
        var e = Assert.Throws<MissingToolException>(() => ProbeTools.FindKernel(search));
        Assert.Equal(1, e.Message.Split(lab).Length - 1);
    }
}
