namespace VfioKit.Probe;

/// <summary>
/// How to start a probe guest: the QEMU binary, the kernel, and the machine (machine type, memory,
/// controllers, devices) as QEMU arguments. The run adds the console, the kernel, the initramfs and
/// the accelerator itself.
/// </summary>
/// <param name="MachineArguments">"-machine", "pc-q35-7.2", "-m", "256", "-device", "pcie-root-port,...", ...</param>
public sealed record GuestLaunch(string Qemu, KernelImage Kernel, IReadOnlyList<string> MachineArguments)
{
    /// <summary>The guest is stopped after this long, and what it printed so far is returned.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The guest is stopped when it has printed nothing this long after QEMU started (null: only
    /// <see cref="Timeout"/>). Under KVM the first line comes within seconds; a KVM that cannot run the guest (a nested
    /// host that hangs) prints nothing at all, and waiting the whole time-out for that would only delay the fall-back.</summary>
    public TimeSpan? SilenceLimit { get; init; }

    /// <summary>The accelerator (-accel). TCG unless a caller chose KVM (<see cref="Probe.Accelerator.Choose"/>):
    /// the guest's view of the PCI tree does not depend on it, only the boot time does.</summary>
    public Accelerator Accelerator { get; init; } = Accelerator.Tcg("the default of a guest launch");

    /// <summary>The guest kernel's command line: the serial console, quiet, a panic that ends QEMU at once, and no
    /// IO-APIC timer check (under a loaded TCG host it can fail and panic a guest that would boot fine).</summary>
    public string KernelCommandLine { get; init; } = "console=ttyS0 quiet panic=-1 no_timer_check";
}
