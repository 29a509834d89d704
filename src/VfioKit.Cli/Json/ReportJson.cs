using System.Text.Json.Serialization;

namespace VfioKit.Cli.Json;

/// <summary>`vfiokit report --format json` (docs/json/report.md). Every drawn thing carries the element id the SVG gives it.</summary>
public sealed record ReportJson(
    int Version,
    ReportHostJson Host,
    ReportVmJson? Vm,
    ReportPinningJson? Pinning,
    IReadOnlyList<ReportFindingJson> Findings,
    IReadOnlyList<ReportCheckJson> Readiness)
{
    public const int CurrentVersion = 1;
}

public sealed record ReportHostJson(
    string Root,
    string? CpuModel,
    IReadOnlyList<int> Isolated,
    IReadOnlyList<ReportNodeJson> Nodes,
    IReadOnlyList<ReportCpuJson> Cpus,
    IReadOnlyList<ReportFunctionJson> Functions,
    IReadOnlyList<ReportGroupJson> IommuGroups,
    IReadOnlyList<string> Notes);

public sealed record ReportNodeJson(string Element, int Id, IReadOnlyList<int> Cpus, long? MemTotalKiB, long? MemFreeKiB, IReadOnlyList<ReportHugePagesJson> HugePages);

public sealed record ReportHugePagesJson(long PageSizeKiB, long Total, long Free);

/// <param name="Core">Index of the physical core (SMT siblings share it).</param>
public sealed record ReportCpuJson(string Element, int Id, int? Node, int Package, int? Core, int? L3, IReadOnlyList<int> Siblings, bool Online, bool Isolated, IReadOnlyList<string> Threads);

public sealed record ReportFunctionJson(string Element, string Address, string? Class, string Description, string? Driver, int? IommuGroup, int? NumaNode,
    LinkJson? LinkCapability, LinkJson? LinkStatus, bool Gpu, bool PassedToVm);

/// <param name="Viable">For a group holding a GPU: whether it can be passed as it is; null for other groups.</param>
public sealed record ReportGroupJson(string Element, int Number, IReadOnlyList<string> Functions, bool? Viable);

public sealed record ReportVmJson(string Path, string Format, string Machine, string QemuVersion, int Vcpus, int ThreadsPerCore, IReadOnlyList<ReportGuestDeviceJson> Devices);

/// <param name="Sees">endpoint, integrated-endpoint, legacy-endpoint, conventional-pci, root-port, ..., not-visible.</param>
public sealed record ReportGuestDeviceJson(string Element, string Name, string Driver, IReadOnlyList<string> Path, string? GuestAddress, string Sees,
    string? HostAddress, LinkJson? Link, LinkJson? PortLink, LinkJson? PortLinkStatus);

/// <param name="Source">config or plan.</param>
public sealed record ReportPinningJson(string Source, IReadOnlyList<ReportThreadJson> Threads, IReadOnlyList<int> MemoryNodes);

/// <param name="Kind">vcpu, emulator or iothread.</param>
public sealed record ReportThreadJson(string Element, string Kind, int Index, IReadOnlyList<int> HostCpus);

/// <param name="Origin">lint, guest-view, pinning or readiness.</param>
/// <param name="Elements">The element ids it concerns; the badge is drawn at the first.</param>
public sealed record ReportFindingJson(string Element, int Number, string Origin, string? Rule, string Severity, string Message, IReadOnlyList<string> Elements, string? Location);

public sealed record ReportCheckJson(string Element, string Id, string Status, string Title, string Detail, string? Fix);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ReportJson))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
