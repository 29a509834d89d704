using VfioKit.Formats;
using VfioKit.GuestView;
using VfioKit.Host;
using VfioKit.Host.Cpu;
using VfioKit.Pci;
using VfioKit.Rules;
using VfioKit.Vm;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Report;

/// <summary>Builds a <see cref="PassthroughReport"/> from the parts vfiokit already has: host model, guest view, lint, pinning check.</summary>
public static class ReportBuilder
{
    /// <summary>Reads a VM configuration for a report: predicts its guest view with the host's links, lints it with the host's facts.</summary>
    /// <returns>The VM part and the pinning the configuration itself sets (null when it pins nothing).</returns>
    public static (ReportVm Vm, Pinning? Pinning) ReadVm(ConfigDocument document, HostModel host, IHostFacts? facts)
    {
        var parsed = ConfigReaders.Read(document, facts);
        var view = GuestViewPredictor.Predict(parsed.Topology, host: d => HostLink(host, d));
        var lint = Linter.Lint(document, host: facts);
        var findings = lint.Findings.Select(f => new ReportFinding(0, FindingOrigin.Lint, f.RuleId, SeverityName(f.Severity), f.Message,
            [ElementOfLine(view, f.Location.Line)], f.Location.ToString())).ToList();
        var vm = new ReportVm(document.Path, document.Format.Name(), view, parsed.Tuning.Vcpus, parsed.Tuning.ThreadsPerCore, findings);
        return (vm, PinningOf(parsed.Tuning));
    }

    public static PassthroughReport Build(HostModel host, ReportVm? vm, Pinning? pinning)
    {
        var findings = new List<ReportFinding>();
        var gpuNodes = new List<int>();
        if (vm is not null)
        {
            findings.AddRange(vm.LintFindings);
            var devices = vm.View.Devices;
            foreach (var p in vm.View.Problems)
            {
                var index = p.Device is null ? -1 : IndexOf(devices, p.Device);
                findings.Add(new ReportFinding(0, FindingOrigin.GuestView, null, p.Severity == ProblemSeverity.Error ? "error" : "warning", p.Message,
                    [index >= 0 ? ReportIds.GuestDevice(index) : ReportIds.Vm], p.Source?.ToString()));
            }
            // A lint finding on the device (VK102, VK106) already says it; the prediction speaks where lint did not.
            for (var i = 0; i < devices.Count; i++)
                if (MissingLink(devices[i]) is { } why && !vm.LintFindings.Any(f => f.Elements.Contains(ReportIds.GuestDevice(i))))
                    findings.Add(new ReportFinding(0, FindingOrigin.GuestView, null, "warning", why, [ReportIds.GuestDevice(i)], devices[i].Device.Source?.ToString()));
            gpuNodes.AddRange(devices.Select(d => d.Device.HostAddress).OfType<PciAddress>()
                .Select(a => host.Function(a)?.NumaNode).OfType<int>().Distinct().Order());
        }
        if (pinning is not null)
            foreach (var issue in PinningCheck.Check(host.Cpu, pinning, vm?.ThreadsPerCore ?? 1, gpuNodes))
                findings.Add(new ReportFinding(0, FindingOrigin.Pinning, null, issue.Severity, issue.Message, issue.Elements, null));
        foreach (var check in host.Readiness.Where(c => c.Status != CheckStatus.Pass))
            findings.Add(new ReportFinding(0, FindingOrigin.Readiness, null, check.Status == CheckStatus.Fail ? "error" : "warning",
                $"{check.Title}: {check.Detail}" + (check.Fix is null ? "" : $" (fix: {check.Fix})"), [ReportIds.Check(check.Id)], null));
        var numbered = findings.Select((f, i) => f with { Number = i + 1 }).ToList();
        return new PassthroughReport(host, vm, pinning, gpuNodes, numbered);
    }

    /// <summary>A passed function the guest sees as an integrated endpoint or plain PCI, or an Endpoint without a link: a GPU driver's slow path.</summary>
    private static string? MissingLink(GuestDevice d)
    {
        if (!d.Device.IsPassthrough) return null;
        return d.Sees switch
        {
            GuestDeviceKind.RootComplexIntegratedEndpoint => $"{d.Name} is seen as a Root Complex Integrated Endpoint: no PCIe link, the guest driver cannot read link speed or width",
            GuestDeviceKind.ConventionalPci or GuestDeviceKind.LegacyEndpoint => $"{d.Name} is seen as {Describe(d.Sees)}: no PCIe link",
            GuestDeviceKind.Endpoint when d.PortLink is null => $"{d.Name} has no port link above it",
            _ => null,
        };
    }

    /// <summary>The devices in tree order (each after its parent bus, siblings in guest enumeration order), as indices into the view.</summary>
    public static IReadOnlyList<int> TreeOrder(GuestViewResult view)
    {
        var devices = view.Devices;
        var children = new Dictionary<string, List<int>>();
        var roots = new List<int>();
        var names = devices.Select(d => d.Name).ToHashSet();
        for (var i = 0; i < devices.Count; i++)
        {
            var path = devices[i].Path;
            var parent = path.Count >= 2 ? path[^2] : null;
            if (parent is not null && names.Contains(parent) && parent != devices[i].Name)
            {
                if (!children.TryGetValue(parent, out var list)) children[parent] = list = [];
                list.Add(i);
            }
            else roots.Add(i);
        }
        var order = new List<int>();
        var seen = new HashSet<int>();
        void Visit(int i)
        {
            if (!seen.Add(i)) return;
            order.Add(i);
            if (children.TryGetValue(devices[i].Name, out var list)) foreach (var c in list) Visit(c);
        }
        foreach (var r in roots) Visit(r);
        // A device under a cycle or a repeated name is still listed.
        for (var i = 0; i < devices.Count; i++) if (!seen.Contains(i)) order.Add(i);
        return order;
    }

    public static string Describe(GuestDeviceKind kind) => kind switch
    {
        GuestDeviceKind.Endpoint => "PCIe Endpoint",
        GuestDeviceKind.RootComplexIntegratedEndpoint => "integrated endpoint",
        GuestDeviceKind.LegacyEndpoint => "legacy endpoint",
        GuestDeviceKind.ConventionalPci => "conventional PCI",
        GuestDeviceKind.RootPort => "root port",
        GuestDeviceKind.UpstreamPort => "upstream port",
        GuestDeviceKind.DownstreamPort => "downstream port",
        GuestDeviceKind.PcieToPciBridge => "PCIe-to-PCI bridge",
        GuestDeviceKind.PciBridge => "PCI bridge",
        GuestDeviceKind.HostBridge => "host bridge",
        _ => "not visible",
    };

    private static int IndexOf(IReadOnlyList<GuestDevice> devices, string name)
    {
        for (var i = 0; i < devices.Count; i++) if (devices[i].Name == name) return i;
        return -1;
    }

    /// <summary>The guest device configured on a line (a lint finding's line), else the VM as a whole.</summary>
    private static string ElementOfLine(GuestViewResult view, int line)
    {
        if (line > 0)
            for (var i = 0; i < view.Devices.Count; i++)
                if (view.Devices[i].Device.Source?.Line == line && !view.Devices[i].Device.IsImplicit) return ReportIds.GuestDevice(i);
        return ReportIds.Vm;
    }

    private static HostFunction? HostLink(HostModel host, VmDevice device) =>
        device.HostAddress is { } a && host.Function(a) is { Pcie: { } p } f
            ? new HostFunction(p.Type ?? PcieDeviceType.Endpoint, f.HostLink)
            : null;

    private static Pinning? PinningOf(VmTuning tuning)
    {
        var threads = new List<PinnedThread>();
        foreach (var (vcpu, cpus) in tuning.VcpuPins.OrderBy(p => p.Key))
            threads.Add(new PinnedThread(PinnedThreadKind.Vcpu, vcpu, CpuList.Of(cpus)));
        if (threads.Count == 0 && tuning.VcpuSet is { } set)
            for (var v = 0; v < tuning.Vcpus; v++) threads.Add(new PinnedThread(PinnedThreadKind.Vcpu, v, CpuList.Of(set)));
        if (tuning.EmulatorPins is { } emu) threads.Add(new PinnedThread(PinnedThreadKind.Emulator, 0, CpuList.Of(emu)));
        return threads.Count == 0 ? null : new Pinning(PinningSource.Config, threads, []);
    }

    private static string SeverityName(Severity s) => s.ToString().ToLowerInvariant();
}
