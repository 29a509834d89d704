namespace VfioKit.Probe;

/// <summary>The accelerator a probe guest runs under and why it was chosen ("kvm": /dev/kvm works; "tcg": why not).</summary>
/// <param name="Name">QEMU's name, the value of -accel: "kvm" or "tcg".</param>
public sealed record Accelerator(string Name, string Reason)
{
    public bool IsKvm => Name == "kvm";

    public static Accelerator Tcg(string reason) => new("tcg", reason);

    public static Accelerator Kvm(string reason) => new("kvm", reason);

    /// <summary>KVM where /dev/kvm works (<see cref="KvmDevice"/>), else TCG; a named one as asked.</summary>
    /// <exception cref="MissingToolException">KVM was asked for and /dev/kvm does not work.</exception>
    public static Accelerator Choose(AcceleratorRequest request, string kvmDevice = KvmDevice.DefaultPath)
    {
        if (request == AcceleratorRequest.Tcg) return Tcg("asked for (--accel tcg)");
        var why = KvmDevice.WhyUnusable(kvmDevice);
        if (why is null) return Kvm($"{kvmDevice} works");
        if (request == AcceleratorRequest.Kvm)
            throw new MissingToolException("kvm", $"--accel kvm, but KVM cannot run a guest here: {why}",
                "Enable virtualization (VT-x / AMD-V) in the firmware and load kvm_intel or kvm_amd, give this user access to /dev/kvm, or leave --accel at auto (TCG gives the same answer, more slowly)");
        return Tcg(why);
    }
}
