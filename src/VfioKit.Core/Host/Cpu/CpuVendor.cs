namespace VfioKit.Host.Cpu;

/// <summary>The CPU vendor from /proc/cpuinfo vendor_id: AMD guests need topoext to see SMT.</summary>
public enum CpuVendor
{
    Unknown,
    Amd,
    Intel,
}
