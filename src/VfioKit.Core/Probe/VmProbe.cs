using VfioKit.GuestView;
using VfioKit.Vm;

namespace VfioKit.Probe;

/// <summary>
/// Proves a prediction: builds the stand-in VM of a topology, boots it, and compares what the guest
/// enumerated with what <see cref="GuestViewPredictor"/> says the real VM's guest will see.
/// </summary>
public static class VmProbe
{
    /// <summary>How long a guest under KVM may print nothing before the probe boots it again under TCG.</summary>
    public static readonly TimeSpan KvmSilenceLimit = TimeSpan.FromSeconds(20);

    /// <param name="pinAddresses">See <see cref="StandIns.Build"/>: true for a topology read from libvirt XML.</param>
    public static async Task<ProbeResult> RunAsync(VmTopology topology, ProbeSetup setup,
        IProgress<GuestProgress>? progress = null, CancellationToken cancellation = default, bool pinAddresses = false)
    {
        var machine = StandIns.Build(topology, setup.HostClass, pinAddresses);
        var prediction = GuestViewPredictor.Predict(topology, setup.QemuVersion);
        var launch = new GuestLaunch(setup.Tools.Qemu, setup.Kernel.For(topology.Machine), machine.Arguments) { Timeout = setup.Timeout, Accelerator = setup.Accelerator };
        // A KVM guest prints its first line within seconds, even on a loaded host; silence means KVM cannot run it.
        if (launch.Accelerator.IsKvm) launch = launch with { SilenceLimit = KvmSilenceLimit };
        var run = await GuestRun.RunAsync(launch, setup.Initramfs, progress, cancellation).ConfigureAwait(false);
        if (launch.Accelerator.IsKvm && run.KvmFailure is { } why)
        {
            launch = launch with { Accelerator = Accelerator.Tcg($"KVM did not run the guest ({why}); fell back to TCG"), SilenceLimit = null };
            run = await GuestRun.RunAsync(launch, setup.Initramfs, progress, cancellation).ConfigureAwait(false);
        }
        if (!run.Completed) return new ProbeResult(machine, prediction, run, null, null, launch.Accelerator);
        var report = GuestReport.Parse(run.Console);
        return new ProbeResult(machine, prediction, run, report, ProbeComparison.Compare(prediction, report, machine), launch.Accelerator);
    }
}
