namespace VfioKit.Probe;

/// <summary>Where a probe guest is, for a progress line: the stage, the time since QEMU started, functions read so far.</summary>
public readonly record struct GuestProgress(GuestStage Stage, TimeSpan Elapsed, int FunctionsRead)
{
    public string Describe() => Stage switch
    {
        GuestStage.Starting => "starting QEMU",
        GuestStage.Firmware => "firmware and kernel loading",
        GuestStage.Kernel => "guest kernel booting",
        GuestStage.Reading => FunctionsRead == 0 ? "guest reading PCI functions" : $"guest reading PCI functions ({FunctionsRead})",
        GuestStage.PoweringOff => "guest powering off",
        _ => Stage.ToString(),
    };
}

public enum GuestStage
{
    Starting,
    Firmware,
    Kernel,
    Reading,
    PoweringOff,
}
