using VfioKit.Formats.Libvirt;
using VfioKit.Formats.Qemu;
using VfioKit.GuestView;
using VfioKit.Probe;
using VfioKit.Tests.Cli;
using VfioKit.Tests.Formats.Libvirt;
using VfioKit.Tests.Lab;
using Xunit.Abstractions;

namespace VfioKit.Tests.Probe;

/// <summary>
/// The libvirt chain end to end: domain XML -> a real libvirtd's `virsh domxml-to-native` -> the QEMU
/// reader -> a probe guest; what the guest saw must equal `guest-view` of the XML itself.
/// </summary>
[Collection(LibvirtdCollection.Name)]
public sealed class LibvirtChainProbeTests(LibvirtdFixture libvirtd, ITestOutputHelper output)
{
    [SkippableTheory]
    [InlineData("passthrough/gpu-audio-ioh3420-index8.xml", VirtTypes.Qemu)]
    [InlineData("passthrough/gpu-audio-ioh3420-index8.xml", VirtTypes.Kvm)]
    [InlineData("passthrough/tuned-windows.xml", VirtTypes.Qemu)]
    [InlineData("passthrough/tuned-windows.xml", VirtTypes.Kvm)]
    public async Task A_probe_of_libvirts_command_line_sees_what_the_XML_predicts(string fixture, string virtType)
    {
        var libvirtdPath = libvirtd.Under(virtType, output);
        var doc = LibvirtdAgreementTests.ForLibvirt90(DomainXml.Load(TestPaths.DataFile("libvirt", fixture)));
        var file = Path.Combine(Path.GetTempPath(), $"vfiokit-chain-{Environment.ProcessId}-{Path.GetFileName(fixture)}");
        File.WriteAllBytes(file, doc.Source.ToBytes());
        try
        {
            var (exit, argv, stderr) = libvirtdPath.ToNative(file);
            Assert.True(exit == 0, $"virsh domxml-to-native {fixture}: {stderr}");

            var probe = await VmProbe.RunAsync(QemuCommandLine.Parse(argv, fixture + " (libvirtd)"), ProbeLab.Setup);
            Assert.True(probe.Run.Completed, probe.Run.Explain());

            var fromXml = GuestViewPredictor.Predict(LibvirtTopology.Read(doc), ProbeLab.Setup.QemuVersion);
            var findings = ProbeComparison.Compare(fromXml, probe.Report!, probe.Machine);
            Assert.True(findings.Agrees, $"{fixture}:\n" + string.Join("\n", findings.Describe()) + "\n--- libvirt argv:\n" + argv);
            Assert.Contains(findings.Devices, d => d.Predicted.Device.IsPassthrough && d.Seen is not null);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void Probe_reads_a_domain_XML_directly()
    {
        var run = CliRun.Of("probe", TestPaths.DataFile("libvirt", "passthrough", "virt-manager-default.xml"), "--kernel", ProbeLab.Tools.Kernel);
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("the guest agrees with the prediction", run.Out);
    }
}
