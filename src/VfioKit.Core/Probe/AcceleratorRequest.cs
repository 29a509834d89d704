namespace VfioKit.Probe;

/// <summary>`probe --accel`: auto (KVM where /dev/kvm works, else TCG), or one of them by name.</summary>
public enum AcceleratorRequest
{
    Auto,
    Kvm,
    Tcg,
}
