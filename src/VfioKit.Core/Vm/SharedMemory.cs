namespace VfioKit.Vm;

/// <summary>A shared memory region (ivshmem-plain's backend, libvirt &lt;shmem&gt;), size in bytes. In the VM model,
/// not in Rules, because the repairers below the rules resize it.</summary>
public sealed record SharedMemory(string Name, long SizeBytes, int Line, string? Path = null);
