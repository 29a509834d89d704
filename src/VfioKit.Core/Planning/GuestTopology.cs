namespace VfioKit.Planning;

/// <summary>The CPU topology the guest is shown (-smp / libvirt &lt;topology&gt;); dies mirror the host L3 domains spanned.</summary>
public sealed record GuestTopology(int Sockets, int Dies, int Cores, int Threads)
{
    public int Vcpus => Sockets * Dies * Cores * Threads;
}
