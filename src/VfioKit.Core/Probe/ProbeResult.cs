using VfioKit.GuestView;

namespace VfioKit.Probe;

/// <summary>A whole probe: the stand-in VM, the prediction, how the guest run went and, when it completed, what it saw.</summary>
/// <param name="Accelerator">The accelerator the reported run used (TCG after a fallback from KVM).</param>
public sealed record ProbeResult(StandInMachine Machine, GuestViewResult Prediction, GuestRunResult Run, GuestReport? Report, ProbeFindings? Findings,
    Accelerator Accelerator)
{
    /// <summary>True when the guest ran to the end and agreed with the prediction wherever the stand-ins are faithful.</summary>
    public bool Agrees => Findings?.Agrees == true;
}
