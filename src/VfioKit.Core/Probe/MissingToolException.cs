namespace VfioKit.Probe;

/// <summary>
/// A tool the probe needs is missing, unreadable or unusable (QEMU, the guest kernel, busybox).
/// The message says what was looked for and how to get it; the CLI maps it to exit code 3.
/// </summary>
public sealed class MissingToolException(string tool, string message, string howToGet, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>"qemu-system-x86_64", "kernel" or "busybox".</summary>
    public string Tool { get; } = tool;

    /// <summary>A sentence saying how to get the tool, e.g. "apt-get install qemu-system-x86".</summary>
    public string HowToGet { get; } = howToGet;

    public string Describe() => $"{Message}. {HowToGet}";
}
