using VfioKit.Host;
using VfioKit.Pci;
using VfioKit.Report;

namespace VfioKit.Cli.Json;

/// <summary>Turns a report into its JSON contract.</summary>
internal static class ReportJsonMapping
{
    public static ReportJson From(PassthroughReport r)
    {
        var host = r.Host;
        var cpu = host.Cpu;
        var gpuFunctions = host.Gpus.SelectMany(g => g.Functions).Select(f => f.Function.Address).ToHashSet();
        var passed = r.Vm?.View.Devices.Select(d => d.Device.HostAddress).OfType<PciAddress>().ToHashSet() ?? [];
        var isolated = cpu.Isolated.Union(cpu.NohzFull);
        var hostJson = new ReportHostJson(
            host.Root,
            cpu.ModelName,
            isolated.ToArray(),
            cpu.Nodes.Select(n => new ReportNodeJson(ReportIds.Node(n.Id), n.Id, n.Cpus.ToArray(), n.MemTotalKiB, n.MemFreeKiB,
                n.HugePages.Select(h => new ReportHugePagesJson(h.PageSizeKiB, h.Total, h.Free)).ToArray())).ToArray(),
            cpu.Cpus.Select(c => new ReportCpuJson(ReportIds.Cpu(c.Id), c.Id, c.Node, c.Package, cpu.CoreOf(c.Id)?.Index, c.L3, c.Siblings.ToArray(),
                c.Online, c.Isolated || isolated.Contains(c.Id), r.ThreadsOn(c.Id).Select(t => t.Id).ToArray())).ToArray(),
            host.PciFunctions.Select(f => new ReportFunctionJson(ReportIds.HostFunction(f.Address), f.Address.ToString(), f.Class?.Name, f.Description, f.Driver,
                f.IommuGroup, f.NumaNode, Link(f.Pcie?.LinkCapability), Link(f.Pcie?.LinkStatus), gpuFunctions.Contains(f.Address), passed.Contains(f.Address))).ToArray(),
            host.IommuGroups.Select(g => new ReportGroupJson(ReportIds.Group(g.Number), g.Number, g.Devices.Select(a => a.ToString()).ToArray(),
                host.Gpus.FirstOrDefault(x => x.Viability.Groups.Contains(g.Number)) is { } gpu && gpu.Viability.Verdict != Viability.Unknown ? gpu.Viability.IsViable : null)).ToArray(),
            host.Notes);
        ReportVmJson? vm = null;
        if (r.Vm is { } v)
            vm = new ReportVmJson(v.Path, v.Format, v.View.Topology.Machine.Type, v.View.QemuVersion.ToString(), v.Vcpus, v.ThreadsPerCore,
                v.View.Devices.Select((d, i) => new ReportGuestDeviceJson(ReportIds.GuestDevice(i), d.Name, d.Device.Driver, d.Path.ToArray(),
                    d.GuestAddress?.ToString(), d.Sees.ToString(), d.Device.HostAddress?.ToString(), Link(d.Link), Link(d.PortLink), Link(d.PortLinkStatus))).ToArray());
        ReportPinningJson? pinning = r.Pinning is { } p
            ? new ReportPinningJson(p.Source == PinningSource.Plan ? "plan" : "config",
                p.Threads.Select(t => new ReportThreadJson(t.Id, t.Kind switch { PinnedThreadKind.Vcpu => "vcpu", PinnedThreadKind.Emulator => "emulator", _ => "iothread" }, t.Index, t.HostCpus.ToArray())).ToArray(),
                p.MemoryNodes)
            : null;
        var findings = r.Findings.Select(f => new ReportFindingJson(f.Id, f.Number,
            f.Origin switch { FindingOrigin.Lint => "lint", FindingOrigin.GuestView => "guest-view", FindingOrigin.Pinning => "pinning", _ => "readiness" },
            f.RuleId, f.Severity, f.Message, f.Elements, f.Location)).ToArray();
        var checks = host.Readiness.Select(c => new ReportCheckJson(ReportIds.Check(c.Id), c.Id, c.Status.ToString().ToLowerInvariant(), c.Title, c.Detail, c.Fix)).ToArray();
        return new ReportJson(ReportJson.CurrentVersion, hostJson, vm, pinning, findings, checks);
    }

    private static LinkJson? Link(PciLink? link) => link is { } l ? new LinkJson(l.Speed.GTs, l.Width) : null;
}
