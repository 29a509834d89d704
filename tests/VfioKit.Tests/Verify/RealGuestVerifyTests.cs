using System.Diagnostics;
using VfioKit.Formats;
using VfioKit.Pci;
using VfioKit.Probe;
using VfioKit.Tests.Cli;
using VfioKit.Tests.Probe;

namespace VfioKit.Tests.Verify;

/// <summary>
/// A lab guest booted by the test (QEMU under TCG, the lab kernel, the probe's initramfs) with the
/// probe's stand-ins in place of the configuration's vfio-pci functions: what it read of its own config
/// space, written as an lspci dump and decoded once more by this machine's lspci -F into -vvv text,
/// is verified against the configuration.
/// </summary>
public sealed class RealGuestVerifyTests
{
    [Fact]
    public void A_booted_guest_with_a_GPU_slot_on_a_root_port_and_one_on_the_root_bus_gets_both_verdicts()
    {
        using var dir = new TempDirectory("vfiokit-verify-guest-");
        var config = dir.File("vm.sh");
        File.WriteAllText(config, """
            qemu-system-x86_64 -M q35 -m 512 -nodefaults \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0,addr=0x1c.0,x-speed=16,x-width=16 \
              -device vfio-pci,host=0000:0b:00.0,id=gpu,bus=rp1,addr=0x0.0,multifunction=on \
              -device vfio-pci,host=0000:0b:00.1,id=gpu_audio,bus=rp1,addr=0x0.1 \
              -device vfio-pci,host=0000:0c:00.0,id=rootbus_gpu,bus=pcie.0,addr=0x5
            """);
        var topology = VmConfigFile.Load(config, TextReader.Null).Topology;
        var machine = StandIns.Build(topology);
        var clock = Stopwatch.StartNew();
        var run = ProbeLab.Boot(ProbeLab.Launch([.. machine.Arguments]));
        clock.Stop();
        Assert.True(run.Completed, run.Explain());
        var report = GuestReport.Parse(run.Console);

        var dump = new LspciDump(report.Functions.Select(f => new LspciDumpEntry(f.Address, "", f.Config!)));
        var hex = dir.File("lspci-x.txt");
        dump.Save(hex);
        var verbose = dir.File("lspci-vvv.txt");
        var lspci = new ProcessStartInfo("lspci") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-F", hex, "-vvv" }) lspci.ArgumentList.Add(a);
        using (var p = Process.Start(lspci)!)
        {
            File.WriteAllText(verbose, p.StandardOutput.ReadToEnd());
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
        }

        foreach (var file in new[] { hex, verbose })
        {
            var verify = CliRun.Of("verify", file, "--config", config);
            Assert.True(verify.ExitCode == 1, $"{file} (guest booted in {clock.Elapsed.TotalSeconds:0.0} s)\n{verify.Out}{verify.Error}");
            Assert.Contains("ok   gpu (host 0000:0b:00.0, guest 0000:01:00.0):", verify.Out);
            Assert.Contains("Endpoint behind a root port", verify.Out);
            Assert.Contains("ok   gpu_audio (host 0000:0b:00.1, guest 0000:01:00.1):", verify.Out);
            Assert.Contains("FAIL rootbus_gpu (host 0000:0c:00.0, guest 0000:00:05.0): no PCIe link:", verify.Out);
            Assert.Contains("sits on the root bus (VK102)", verify.Out);
        }
    }
}
