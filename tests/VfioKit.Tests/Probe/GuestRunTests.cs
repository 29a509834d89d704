using VfioKit.Pci;
using VfioKit.Probe;

namespace VfioKit.Tests.Probe;

/// <summary>Real QEMU guests under TCG with the lab kernel: what the guest prints, how runs fail.</summary>
public sealed class GuestRunTests
{
    /// <summary>The lab's reference machine (../shared/LAB.md section 2).</summary>
    public static readonly string[] LabMachine =
    [
        "-machine", "q35", "-m", "256", "-nodefaults",
        "-device", "pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0,addr=0x1c.0,multifunction=on",
        "-device", "e1000e,bus=rp1,addr=0x0.0,multifunction=on",
        "-device", "nvme,serial=x,drive=d0,bus=rp1,addr=0x0.1", "-blockdev", "driver=null-co,node-name=d0",
        "-device", "ioh3420,id=rp2,chassis=2,slot=2,bus=pcie.0,addr=0x1c.1", "-device", "e1000e,bus=rp2",
        "-device", "e1000e,bus=pcie.0,addr=0x5",
    ];

    [Fact]
    public void A_guest_reports_every_function_with_its_whole_config_space_and_powers_off()
    {
        var run = ProbeLab.Boot(ProbeLab.Launch(LabMachine));
        Assert.True(run.Completed, run.Explain());
        Assert.Equal(0, run.ExitCode);

        var report = GuestReport.Parse(run.Console);
        Assert.True(report.IsComplete);
        Assert.StartsWith("6.", report.KernelRelease);
        Assert.Equal(
            ["0000:00:00.0", "0000:00:05.0", "0000:00:1c.0", "0000:00:1c.1", "0000:00:1f.0", "0000:00:1f.2", "0000:00:1f.3",
             "0000:01:00.0", "0000:01:00.1", "0000:02:00.0"],
            report.Functions.Select(f => f.Address.ToString()));

        var nvme = report.Find(PciAddress.Parse("0000:01:00.1"))!;
        Assert.Equal((ushort)0x1b36, nvme.VendorId);
        Assert.Equal((ushort)0x0010, nvme.DeviceId);
        Assert.Equal(0x010802, nvme.ClassCode);
        Assert.Equal(4096, nvme.ConfigBytes.Length);
        Assert.Equal([0x36, 0x1b, 0x10, 0x00], nvme.ConfigBytes.Take(4));
        Assert.Equal("2.5 GT/s PCIe", nvme.Attribute("current_link_speed"));
        Assert.Equal("1", nvme.Attribute("current_link_width"));

        // ioh3420 advertises 2.5GT/s x1; the generic root port 16GT/s x32 (QEMU >= 4.0 machine types).
        Assert.Equal("2.5 GT/s PCIe", report.Find(PciAddress.Parse("0000:00:1c.1"))!.Attribute("max_link_speed"));
        Assert.Equal("16.0 GT/s PCIe", report.Find(PciAddress.Parse("0000:00:1c.0"))!.Attribute("max_link_speed"));
        Assert.Equal("32", report.Find(PciAddress.Parse("0000:00:1c.0"))!.Attribute("max_link_width"));
    }

    [Fact]
    public void The_unpacked_PVH_kernel_sees_exactly_what_the_bzImage_sees()
    {
        Assert.True(ProbeLab.Kernel.IsPvh, ProbeLab.Kernel.Note);
        var bzImage = ProbeLab.Launch(LabMachine) with { Kernel = new KernelImage(ProbeLab.Tools.Kernel, ProbeLab.Tools.Kernel, false) };

        var slow = ProbeLab.Boot(bzImage);
        var fast = ProbeLab.Boot(ProbeLab.Launch(LabMachine));

        Assert.True(slow.Completed, slow.Explain());
        Assert.True(fast.Completed, fast.Explain());
        var a = GuestReport.Parse(slow.Console).Functions;
        var b = GuestReport.Parse(fast.Console).Functions;
        Assert.Equal(a.Select(f => f.ToString()), b.Select(f => f.ToString()));
        for (var i = 0; i < a.Length; i++)
        {
            var differ = Enumerable.Range(0, Math.Min(a[i].ConfigBytes.Length, b[i].ConfigBytes.Length))
                .Where(o => a[i].ConfigBytes[o] != b[i].ConfigBytes[o]).Select(o => $"0x{o:x}: {a[i].ConfigBytes[o]:x2} vs {b[i].ConfigBytes[o]:x2}");
            Assert.True(a[i].ConfigBytes.SequenceEqual(b[i].ConfigBytes), $"{a[i].Address}: " + string.Join(", ", differ));
            Assert.Equal(a[i].Attributes, b[i].Attributes);
        }
    }

    [Fact]
    public void QEMU_refusing_the_machine_is_reported_with_its_own_error_and_the_option()
    {
        var run = ProbeLab.Boot(ProbeLab.Launch("-machine", "q35", "-nodefaults", "-device", "e1000e,bus=nosuch,addr=0x3"));

        Assert.Equal(GuestRunOutcome.Refused, run.Outcome);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("-device e1000e,bus=nosuch,addr=0x3", run.OffendingOption);
        Assert.Contains("qemu-system-x86_64: -device e1000e,bus=nosuch,addr=0x3: Bus 'nosuch' not found", run.QemuErrors);
        Assert.Contains("Bus 'nosuch' not found", run.Explain());
    }

    [Fact]
    public void A_hanging_guest_is_stopped_at_the_time_out_with_what_it_printed()
    {
        // A shell on a console with no input never powers off: a hang.
        var launch = ProbeLab.Launch("-machine", "q35", "-nodefaults") with
        {
            KernelCommandLine = "console=ttyS0 panic=-1 rdinit=/bin/sh",
            Timeout = TimeSpan.FromSeconds(6),
        };
        var run = ProbeLab.Boot(launch);

        Assert.Equal(GuestRunOutcome.TimedOut, run.Outcome);
        Assert.Null(run.ExitCode);
        Assert.Contains("Linux version", run.Console);
        Assert.InRange(run.Elapsed.TotalSeconds, 6, 15);
        Assert.Contains("did not finish within 6", run.Explain());
    }

    [Fact]
    public void A_guest_silent_past_the_silence_limit_is_stopped_then_and_one_that_printed_runs_to_the_time_out()
    {
        // -S: QEMU starts with its CPUs stopped, so the guest never prints: what a KVM that cannot run it looks like.
        var silent = ProbeLab.Boot(ProbeLab.Launch("-machine", "q35", "-nodefaults", "-S") with
        {
            Timeout = TimeSpan.FromSeconds(60),
            SilenceLimit = TimeSpan.FromSeconds(2),
        });
        Assert.Equal(GuestRunOutcome.TimedOut, silent.Outcome);
        Assert.Equal("", silent.Console);
        Assert.InRange(silent.Elapsed.TotalSeconds, 2, 20);
        Assert.StartsWith("the guest did not finish within 2", silent.KvmFailure);

        // The same limit on a guest that printed (a shell that never powers off) changes nothing: the time-out ends it.
        var printed = ProbeLab.Boot(ProbeLab.Launch("-machine", "q35", "-nodefaults") with
        {
            KernelCommandLine = "console=ttyS0 panic=-1 rdinit=/bin/sh",
            // Its first line comes well within 6 s under TCG even on a loaded host (about 1 s quiet).
            Timeout = TimeSpan.FromSeconds(12),
            SilenceLimit = TimeSpan.FromSeconds(6),
        });
        Assert.Equal(GuestRunOutcome.TimedOut, printed.Outcome);
        Assert.Contains("Linux version", printed.Console);
        Assert.InRange(printed.Elapsed.TotalSeconds, 12, 30);
        Assert.Null(printed.KvmFailure);
    }
}
