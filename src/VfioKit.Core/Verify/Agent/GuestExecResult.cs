namespace VfioKit.Verify.Agent;

/// <summary>What a program run with guest-exec left: its exit code and its decoded output.</summary>
/// <param name="OutputTruncated">qemu-ga cut the output at its own limit (16 MiB).</param>
public sealed record GuestExecResult(int? ExitCode, string Output, string Error, bool OutputTruncated);
