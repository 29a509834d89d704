namespace VfioKit.Formats.Libvirt;

/// <summary>libvirt's memory units (docs: "Memory Allocation"): b, k/KiB, KB, M/MiB, MB, G/GiB, GB, T/TiB, TB.</summary>
public static class MemoryUnit
{
    public static long? ToBytes(long amount, string unit) => unit switch
    {
        "b" or "bytes" => amount,
        "KB" => amount * 1000,
        "k" or "K" or "KiB" => amount * 1024,
        "MB" => amount * 1000_000,
        "M" or "MiB" => amount * 1024 * 1024,
        "GB" => amount * 1000_000_000,
        "G" or "GiB" => amount * 1024L * 1024 * 1024,
        "TB" => amount * 1000_000_000_000,
        "T" or "TiB" => amount * 1024L * 1024 * 1024 * 1024,
        _ => null,
    };
}
