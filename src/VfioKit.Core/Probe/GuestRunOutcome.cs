namespace VfioKit.Probe;

/// <summary>How a probe guest ended.</summary>
public enum GuestRunOutcome
{
    /// <summary>The guest printed its whole report and powered off.</summary>
    Completed,
    /// <summary>QEMU refused to start the machine (bad option, impossible topology): its error is in the result.</summary>
    Refused,
    /// <summary>QEMU ended before the guest finished its report (kernel panic, guest crash).</summary>
    Ended,
    /// <summary>The time-out passed; QEMU was stopped. The console holds what was seen so far.</summary>
    TimedOut,
}
