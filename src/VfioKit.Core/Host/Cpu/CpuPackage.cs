namespace VfioKit.Host.Cpu;

/// <summary>A socket: physical_package_id and its CPUs.</summary>
public sealed record CpuPackage(int Id, CpuList Cpus);
