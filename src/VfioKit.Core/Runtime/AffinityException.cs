namespace VfioKit.Runtime;

/// <summary>The kernel refused to read or set a thread's affinity; <see cref="Errno"/> says why (ESRCH: the thread
/// is gone, EINVAL: no allowed CPU in the mask, EPERM: not permitted).</summary>
public sealed class AffinityException(int threadId, int errno, string message) : Exception(message)
{
    public int ThreadId { get; } = threadId;
    public int Errno { get; } = errno;
}
