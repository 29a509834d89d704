namespace VfioKit.Probe;

/// <summary>
/// Where the probe looks for its tools. The CLI fills it from the command line and the environment;
/// the core reads no environment variables itself, so tests can point it anywhere.
/// </summary>
/// <param name="Kernel">--kernel PATH: used as given, never replaced by a fallback.</param>
/// <param name="KernelFromEnvironment">$VFIOKIT_LAB_KERNEL: used as given when <paramref name="Kernel"/> is null.</param>
/// <param name="SearchPath">$PATH, to find qemu-system-x86_64.</param>
/// <param name="BootDirectory">Where the host's kernels are (/boot): the newest readable vmlinuz-* is used next.</param>
/// <param name="FallbackKernels">Last resorts, in order (the repository's .cache/lab/vmlinuz).</param>
/// <param name="Busybox">The statically linked busybox (Debian's busybox-static installs /bin/busybox).</param>
public sealed record ToolSearch(
    string? Kernel,
    string? KernelFromEnvironment,
    string? SearchPath,
    string BootDirectory = "/boot",
    IReadOnlyList<string>? FallbackKernels = null,
    string Busybox = "/bin/busybox")
{
    public const string Qemu = "qemu-system-x86_64";
    public const string KernelVariable = "VFIOKIT_LAB_KERNEL";
}
