namespace VfioKit.Cli;

/// <summary>The process exit codes of every verb (documented in docs/cli.md).</summary>
public static class ExitCodes
{
    /// <summary>Done; nothing to report at or above the failure threshold.</summary>
    public const int Ok = 0;
    /// <summary>The verb ran and found something: lint findings, a probe that disagrees with the prediction, a host not ready.</summary>
    public const int Findings = 1;
    /// <summary>Bad input: unreadable or malformed file, bad option value, unknown verb.</summary>
    public const int BadInput = 2;
    /// <summary>A tool the verb needs is missing or failed (qemu-system-x86_64, guest kernel, busybox, libvirt).</summary>
    public const int Environment = 3;
    /// <summary>A change to the host (pinning, binding) failed and was undone.</summary>
    public const int HostChangeFailed = 4;
    /// <summary>A defect in vfiokit (an unexpected exception): a short report names the verb and the input (EX_SOFTWARE).</summary>
    public const int InternalError = 70;
}
