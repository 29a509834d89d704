using VfioKit.Rules;

namespace VfioKit.Generation;

/// <summary>Looking Glass shared memory: sized by VK205's formula, backed by /dev/shm/looking-glass, or by the kvmfr
/// device when that module is loaded (it lets the client use DMA-BUF and avoids a copy).</summary>
public sealed record LookingGlassMemory(LookingGlassResolution Resolution, string Path, bool Kvmfr)
{
    public long SizeBytes => Resolution.RequiredBytes;
    public long SizeMiB => SizeBytes / (1024 * 1024);

    public static LookingGlassMemory For(LookingGlassResolution resolution, bool kvmfrLoaded) =>
        kvmfrLoaded ? new(resolution, "/dev/kvmfr0", true) : new(resolution, "/dev/shm/looking-glass", false);
}
