using System.Globalization;
using VfioKit.Host;
using VfioKit.Host.Cpu;
using VfioKit.Pci;

namespace VfioKit.Cli.Json;

/// <summary>Turns the core host model into the `host --json` contract.</summary>
internal static class HostJsonMapping
{
    public const int SchemaVersion = 1;

    public static HostJson From(HostModel host) => new(
        SchemaVersion,
        [.. host.PciFunctions.Select(Device)],
        [.. host.IommuGroups.Select(g => new IommuGroupJson(g.Number, [.. g.Devices.Select(d => d.ToString())]))],
        [.. host.Gpus.Select(Gpu)],
        Cpu(host.Cpu),
        [.. host.Hugepages.Select(p => new HugepagePoolJson(p.SizeName, p.SizeKb, p.Total, p.Free, p.Reserved, p.Surplus))],
        new MemoryJson(host.Memory.MemTotalKb, host.Memory.MemAvailableKb),
        host.CommandLine?.Text,
        [.. KernelModules.Watched.Where(host.Modules.Has)],
        !host.HasFailedCheck,
        [.. host.Readiness.Select(c => new ReadinessCheckJson(c.Id, c.Title, Status(c.Status), c.Detail, c.Fix))],
        host.Notes,
        host.Absent);

    private static CpuJson Cpu(CpuTopology cpu) => new(
        cpu.Vendor switch { CpuVendor.Intel => "intel", CpuVendor.Amd => "amd", _ => "unknown" },
        cpu.ModelName,
        cpu.Online.ToString(),
        cpu.Online.Count,
        [.. cpu.Packages.Select(p => new PackageJson(p.Id, p.Cpus.ToString()))],
        [.. cpu.Nodes.Select(n => new NumaNodeJson(n.Id, n.Cpus.ToString(), n.IsMemoryless, n.MemTotalKiB,
            [.. n.HugePages.Select(h => new NodeHugepagesJson(h.PageSizeKiB, h.Total, h.Free))]))],
        [.. cpu.L3Domains.Select(d => d.Cpus.ToString())],
        [.. cpu.SmtSiblings.Select(s => (IReadOnlyList<int>)[.. s])],
        cpu.IsHybrid,
        cpu.Isolated.Union(cpu.NohzFull).ToString());

    public static string Status(CheckStatus status) => status switch
    {
        CheckStatus.Pass => "pass",
        CheckStatus.Warn => "warn",
        _ => "fail",
    };

    private static PciDeviceJson Device(PciFunction f) => new(
        f.Address.ToString(),
        f.Address.Slot.ToString(),
        Hex(f.VendorId, 4),
        Hex(f.DeviceId, 4),
        Hex(f.SubsystemVendorId, 4),
        Hex(f.SubsystemDeviceId, 4),
        f.Class?.ToString(),
        f.Class?.Name,
        Hex(f.Revision, 2),
        f.VendorName,
        f.DeviceName,
        f.Driver,
        f.IommuGroup,
        f.NumaNode,
        f.LocalCpuList,
        f.BootVga,
        f.ResetMethods,
        f.ConfigBytes,
        f.IsBridge,
        Pcie(f.Pcie),
        SlotLink(f.SlotLink));

    private static GpuJson Gpu(Gpu g)
    {
        var display = g.Display;
        return new GpuJson(
            g.Slot.ToString(),
            display.DeviceName is null ? null : display.Description,
            [.. g.Functions.Select(m => m.Function.Address.ToString())],
            [.. g.Functions.Select(m => new GpuFunctionJson(m.Function.Address.ToString(), Role(m.Role), m.Function.Driver, m.Function.ResetMethods, GpuFinder.HasFlr(m.Function)))],
            g.Viability.Groups,
            g.Viability.IsViable,
            Viability(g.Viability.Verdict),
            [.. g.Viability.MustGoAlong.Select(a => a.ToString())],
            g.Viability.Explanation,
            g.NumaNode,
            g.BootVga,
            display.Driver,
            DriverState(g.Driver),
            g.AmdResetBugFamily,
            Pcie(display.Pcie),
            g.Warnings,
            SlotLink(display.SlotLink));
    }

    public static PcieJson? Pcie(PcieFacts? p) => p is null
        ? null
        : new PcieJson(TypeName(p.Type), Link(p.LinkCapability), Link(p.LinkStatus), p.FunctionLevelReset,
            p.Source switch { PcieSource.ConfigSpace => "config", PcieSource.Libvirt => "libvirt", _ => "sysfs" });

    private static SlotLinkJson? SlotLink(SlotLink? s) => s is null ? null : new SlotLinkJson(s.UpstreamPort.ToString(), Link(s.Capability), Link(s.Status));

    /// <summary>The schema's names for the device/port types; null for unknown or reserved ones.</summary>
    public static string? TypeName(PcieDeviceType? type) => type switch
    {
        PcieDeviceType.Endpoint => "Endpoint",
        PcieDeviceType.LegacyEndpoint => "LegacyEndpoint",
        PcieDeviceType.RootComplexIntegratedEndpoint => "RootComplexIntegratedEndpoint",
        PcieDeviceType.RootPort => "RootPort",
        PcieDeviceType.UpstreamPort => "UpstreamPort",
        PcieDeviceType.DownstreamPort => "DownstreamPort",
        PcieDeviceType.PcieToPciBridge => "PcieToPciBridge",
        PcieDeviceType.PciToPcieBridge => "PciToPcieBridge",
        PcieDeviceType.RootComplexEventCollector => "RootComplexEventCollector",
        _ => null,
    };

    private static LinkJson? Link(PciLink? l) => l is { } x ? new LinkJson(x.Speed.GTs, x.Width) : null;

    public static string Role(FunctionRole role) => role switch
    {
        FunctionRole.Display => "display",
        FunctionRole.HdmiAudio => "hdmiAudio",
        FunctionRole.Usb => "usb",
        FunctionRole.Ucsi => "ucsi",
        _ => "other",
    };

    private static string Viability(Viability v) => v switch
    {
        Host.Viability.Viable => "viable",
        Host.Viability.NotViable => "notViable",
        _ => "unknown",
    };

    public static string DriverState(DriverState d) => d switch
    {
        Host.DriverState.None => "none",
        Host.DriverState.VfioPci => "vfio-pci",
        Host.DriverState.Amdgpu => "amdgpu",
        Host.DriverState.Radeon => "radeon",
        Host.DriverState.Nvidia => "nvidia",
        Host.DriverState.Nouveau => "nouveau",
        Host.DriverState.I915 => "i915",
        Host.DriverState.Xe => "xe",
        Host.DriverState.PciStub => "pci-stub",
        _ => "other",
    };

    private static string? Hex(int? value, int digits) =>
        value is { } v ? "0x" + v.ToString("x" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : null;
}
