using System.Runtime.InteropServices;
using VfioKit.Host.Cpu;
using VfioKit.Interop;

namespace VfioKit.Runtime;

/// <summary>Reads and sets one thread's CPU affinity, with a mask as wide as the host's possible CPUs.</summary>
public sealed class ThreadAffinity
{
    private readonly int _bytes;

    /// <param name="possible">/sys/devices/system/cpu/possible of the running host.</param>
    public ThreadAffinity(CpuList possible)
    {
        // Whole 64-bit words: sched_getaffinity wants a multiple of sizeof(long) covering nr_cpu_ids.
        var bits = Math.Max(possible.Max + 1, 1);
        _bytes = (bits + 63) / 64 * 8;
    }

    public int MaskBytes => _bytes;

    public CpuList Get(int tid)
    {
        var mask = new byte[_bytes];
        // glibc returns 0 on success (the raw syscall would return the bytes copied).
        if (SchedAffinity.GetAffinity(tid, (nuint)mask.Length, mask) != 0) throw Error(tid, "read the affinity of");
        var cpus = new List<int>();
        for (var i = 0; i < mask.Length * 8; i++)
            if ((mask[i / 8] & (1 << (i % 8))) != 0) cpus.Add(i);
        return CpuList.Of(cpus);
    }

    public void Set(int tid, CpuList cpus)
    {
        if (cpus.IsEmpty) throw new ArgumentException("an empty CPU set would stop the thread", nameof(cpus));
        if (cpus.Max >= _bytes * 8) throw new ArgumentException($"CPU {cpus.Max} is beyond the host's possible CPUs", nameof(cpus));
        var mask = new byte[_bytes];
        foreach (var c in cpus) mask[c / 8] |= (byte)(1 << (c % 8));
        if (SchedAffinity.SetAffinity(tid, (nuint)mask.Length, mask) != 0) throw Error(tid, "set the affinity of");
    }

    private static AffinityException Error(int tid, string what)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new AffinityException(tid, errno, $"could not {what} thread {tid}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
    }
}
