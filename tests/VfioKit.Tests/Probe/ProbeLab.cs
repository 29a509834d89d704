using VfioKit.Probe;

namespace VfioKit.Tests.Probe;

/// <summary>
/// The real tools the probe tests boot guests with: QEMU from PATH, the lab kernel ($VFIOKIT_LAB_KERNEL or
/// .cache/lab/vmlinuz, installed by scripts/install-deps.sh), /bin/busybox. Missing ones fail the test
/// with the tool's own how-to-get message; they are never skipped.
/// </summary>
public static class ProbeLab
{
    private static readonly Lazy<(ProbeTools Tools, KernelImage Kernel, Initramfs Initramfs)> Lab = new(() =>
    {
        var tools = ProbeTools.Locate(Search);
        var kernel = KernelImage.Prepare(tools.Kernel, CacheDirectory);
        return (tools, kernel, GuestProgram.Build(File.ReadAllBytes(tools.Busybox)));
    });

    private static readonly Lazy<ProbeSetup> LazySetup = new(() => ProbeSetup.Prepare(Search, CacheDirectory) with { Timeout = TimeSpan.FromSeconds(180) });

    /// <summary>The probe's setup for this machine's QEMU and the lab kernel.</summary>
    public static ProbeSetup Setup => LazySetup.Value;

    public static ToolSearch Search => new(
        Kernel: null,
        KernelFromEnvironment: Environment.GetEnvironmentVariable(ToolSearch.KernelVariable),
        SearchPath: Environment.GetEnvironmentVariable("PATH"),
        BootDirectory: "/nonexistent-boot", // the lab kernel, never whatever the test machine runs
        FallbackKernels: [Path.Combine(TestPaths.RepoRoot, ".cache", "lab", "vmlinuz")]);

    public static string CacheDirectory => Path.Combine(TestPaths.RepoRoot, ".cache", "probe");

    public static ProbeTools Tools => Lab.Value.Tools;
    public static KernelImage Kernel => Lab.Value.Kernel;
    public static Initramfs Initramfs => Lab.Value.Initramfs;

    public static GuestLaunch Launch(params string[] machineArguments) => new(Tools.Qemu, Kernel, machineArguments)
    {
        Timeout = TimeSpan.FromSeconds(120),
    };

    public static GuestRunResult Boot(GuestLaunch launch) => GuestRun.RunAsync(launch, Initramfs).GetAwaiter().GetResult();
}
