using VfioKit.Fixing;
using System.Numerics;
using VfioKit.Formats;

namespace VfioKit.Rules;

/// <summary>VK205: Looking Glass shared memory not a power of two, or too small for the resolution.</summary>
public sealed class Vk205LookingGlassSize : IRule
{
    public static RuleDescriptor Rule { get; } = new(
        RuleIds.LookingGlassSize, Severity.Warning,
        "Looking Glass shared memory of the wrong size",
        "ivshmem needs a power-of-two size; too small a region stops the Looking Glass host at that resolution",
        ConfigFormats.All, Repairs: [typeof(SetSharedMemorySize)]);

    public RuleDescriptor Descriptor => Rule;

    public IReadOnlyList<RuleExample> Examples { get; } = [
        new(ConfigFormat.Proxmox,
            Bad: ExampleProxmoxVm.Gpu(("ivshmem", "size=48,name=looking-glass")),
            Good: ExampleProxmoxVm.Gpu(("ivshmem", "size=64,name=looking-glass"))),
        new(ConfigFormat.Qemu,
            Bad: ExampleScript.Gpu(more: [
                "-object memory-backend-file,id=looking-glass,mem-path=/dev/shm/looking-glass,size=48M,share=on",
                "-device ivshmem-plain,memdev=looking-glass"]),
            Good: ExampleScript.Gpu(more: [
                "-object memory-backend-file,id=looking-glass,mem-path=/dev/shm/looking-glass,size=64M,share=on",
                "-device ivshmem-plain,memdev=looking-glass"])),
        new(ConfigFormat.Libvirt,
            Bad: ExampleDomain.Q35($"""
                {ExampleDomain.RootPorts(1)}
                {ExampleDomain.Hostdev("0b:00.0", at: "01:00.0")}
                <shmem name='looking-glass'>
                  <model type='ivshmem-plain'/>
                  <size unit='M'>48</size>
                </shmem>
                """),
            Good: ExampleDomain.Q35($"""
                {ExampleDomain.RootPorts(1)}
                {ExampleDomain.Hostdev("0b:00.0", at: "01:00.0")}
                <shmem name='looking-glass'>
                  <model type='ivshmem-plain'/>
                  <size unit='M'>64</size>
                </shmem>
                """)),
    ];

    public IEnumerable<Finding> Check(LintContext c)
    {
        var need = c.Options.LookingGlassResolution?.RequiredBytes ?? 0;
        foreach (var shm in c.Tuning.SharedMemories)
        {
            var pow2 = shm.SizeBytes > 0 && BitOperations.IsPow2(shm.SizeBytes);
            var small = shm.SizeBytes < need;
            if (pow2 && !small) continue;
            var target = (long)BitOperations.RoundUpToPowerOf2((ulong)Math.Max(Math.Max(shm.SizeBytes, need), 1));
            var why = !pow2
                ? $"{Mib(shm.SizeBytes)} is not a power of two"
                : $"{Mib(shm.SizeBytes)} is less than the {Mib(need)} {c.Options.LookingGlassResolution} needs";
            yield return c.Report(Rule, $"shared memory '{shm.Name}': {why}; use {Mib(target)}", shm.Line, new SetSharedMemorySize(shm, target));
        }
    }

    private static string Mib(long bytes) =>
        bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB" : $"{bytes} bytes";
}
