namespace VfioKit.Cli.Json;

// The contract of `vfiokit host --json` (docs/json/host.md). Plain records so the schema is visible in one
// place and independent of the core model's shape; ids and class codes are hex strings as lspci and sysfs write them.

internal sealed record HostJson(
    int SchemaVersion,
    IReadOnlyList<PciDeviceJson> PciDevices,
    IReadOnlyList<IommuGroupJson> IommuGroups,
    IReadOnlyList<GpuJson> Gpus,
    CpuJson Cpu,
    IReadOnlyList<HugepagePoolJson> Hugepages,
    MemoryJson Memory,
    string? KernelCommandLine,
    IReadOnlyList<string> Modules,
    bool Ready,
    IReadOnlyList<ReadinessCheckJson> Readiness,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> Absent);

internal sealed record PciDeviceJson(
    string Address,
    string Slot,
    string? VendorId,
    string? DeviceId,
    string? SubsystemVendorId,
    string? SubsystemDeviceId,
    string? ClassCode,
    string? ClassName,
    string? Revision,
    string? VendorName,
    string? DeviceName,
    string? Driver,
    int? IommuGroup,
    int? NumaNode,
    string? LocalCpus,
    bool? BootVga,
    IReadOnlyList<string>? ResetMethods,
    int ConfigBytes,
    bool IsBridge,
    PcieJson? Pcie,
    SlotLinkJson? SlotLink);

internal sealed record PcieJson(string? Type, LinkJson? LinkCapability, LinkJson? LinkStatus, bool? FunctionLevelReset, string Source);

/// <summary>The slot's link when the function is behind its card's own switch (AMD Vega/RDNA): the card's upstream port and its link.</summary>
internal sealed record SlotLinkJson(string UpstreamPort, LinkJson? LinkCapability, LinkJson? LinkStatus);


internal sealed record IommuGroupJson(int Number, IReadOnlyList<string> Devices);

internal sealed record GpuJson(
    string Slot,
    string? Name,
    IReadOnlyList<string> Functions,
    IReadOnlyList<GpuFunctionJson> Roles,
    IReadOnlyList<int> IommuGroups,
    bool Viable,
    string Viability,
    IReadOnlyList<string> MustGoAlong,
    string Verdict,
    int? NumaNode,
    bool BootVga,
    string? Driver,
    string DriverState,
    string? AmdResetBug,
    PcieJson? HostLink,
    IReadOnlyList<string> Warnings,
    SlotLinkJson? SlotLink);

internal sealed record GpuFunctionJson(string Address, string Role, string? Driver, IReadOnlyList<string>? ResetMethods, bool? Flr);

internal sealed record CpuJson(
    string Vendor,
    string? Model,
    string Online,
    int Count,
    IReadOnlyList<PackageJson> Packages,
    IReadOnlyList<NumaNodeJson> NumaNodes,
    IReadOnlyList<string> L3Domains,
    IReadOnlyList<IReadOnlyList<int>> SmtSiblings,
    bool Hybrid,
    string Isolated);

internal sealed record PackageJson(int Id, string Cpus);

internal sealed record NumaNodeJson(int Id, string Cpus, bool Memoryless, long? MemTotalKb, IReadOnlyList<NodeHugepagesJson> Hugepages);

internal sealed record NodeHugepagesJson(long SizeKb, long Total, long Free);

internal sealed record HugepagePoolJson(string Size, long SizeKb, long? Total, long? Free, long? Reserved, long? Surplus);

internal sealed record MemoryJson(long? TotalKb, long? AvailableKb);

internal sealed record ReadinessCheckJson(string Id, string Title, string Status, string Detail, string? Fix);
