using System.Runtime.ExceptionServices;

namespace VfioKit.Libvirt;

/// <summary>
/// Items 0..count-1 worked on by a few threads of their own, each taking the next index until none is left. Own
/// threads, not the thread pool: each spends most of its time blocked in a libvirt round trip, and the pool adds
/// threads beyond the core count only slowly. The first exception stops the others taking new items and is
/// rethrown on the caller's thread as it was thrown.
/// </summary>
internal static class DomainWorkers
{
    public static void Run(int count, int parallel, Action<int> work)
    {
        var next = -1;
        ExceptionDispatchInfo? failure = null;
        void Loop()
        {
            try
            {
                for (var i = Interlocked.Increment(ref next); i < count && Volatile.Read(ref failure) is null; i = Interlocked.Increment(ref next))
                    work(i);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
            }
        }

        var threads = Enumerable.Range(0, Math.Clamp(parallel, 1, Math.Max(1, count)) - 1)
            .Select(_ => new Thread(Loop) { IsBackground = true, Name = "libvirt worker" }).ToList();
        foreach (var t in threads) t.Start();
        Loop(); // the caller is one of the workers
        foreach (var t in threads) t.Join();
        failure?.Throw();
    }
}
