using System.Runtime.InteropServices;

namespace VfioKit.Interop;

/// <summary>sched_getaffinity(2) / sched_setaffinity(2) for one thread id. The mask is a byte array sized
/// from /sys/devices/system/cpu/possible: the runtime's own affinity API stops at 64 CPUs.</summary>
internal static partial class SchedAffinity
{
    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    internal static partial int SetAffinity(int tid, nuint size, [In] byte[] mask);

    [LibraryImport("libc", EntryPoint = "sched_getaffinity", SetLastError = true)]
    internal static partial int GetAffinity(int tid, nuint size, [Out] byte[] mask);
}
