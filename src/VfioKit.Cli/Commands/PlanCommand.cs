using System.CommandLine;
using System.Text.Json;
using VfioKit.Cli.Json;
using VfioKit.Cli.Rendering;
using VfioKit.Diagnostics;
using VfioKit.Host.Cpu;
using VfioKit.Pci;
using VfioKit.Planning;
using VfioKit.Host;
using VfioKit.Files;
using VfioKit.Runtime;

namespace VfioKit.Cli.Commands;

/// <summary>`vfiokit plan`: where a GPU VM's vCPUs and memory should go on this host, as libvirt XML and QEMU options.</summary>
internal static class PlanCommand
{
    public static Command Create(CliIO io)
    {
        var vcpus = new Option<int>("--vcpus") { Description = "Number of guest vCPUs.", Required = true };
        var gpus = new Option<string[]>("--gpu")
        {
            Description = "GPU to place the VM near: a slot (0000:41:00) or a function (0000:41:00.0); repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var memory = new Option<string?>("--memory") { Description = "Guest memory, e.g. 16G or 16384M: binds it and counts hugepages." };
        var reserve = new Option<string?>("--reserve")
        {
            Description = "Host CPUs kept for the host, emulator and I/O threads (e.g. 0-1,48-49), or 'none'. Default: the first core of the chosen node.",
        };
        var hugepages = new Option<string>("--hugepages") { Description = "Page size for guest memory: auto, 2M, 1G or none.", DefaultValueFactory = _ => "auto" };
        var iothreads = new Option<int>("--iothreads") { Description = "I/O threads to define and pin.", DefaultValueFactory = _ => 1 };
        var root = new Option<string>("--root", "--host") { Description = "Root of the host's /sys and /proc (a snapshot).", DefaultValueFactory = _ => "/" };
        var connect = HostConnectOption.Create();
        var json = new Option<bool>("--json") { Description = "Write the plan as JSON (docs/json/plan.md)." };
        var report = ReportOption.Create("the host with this plan's pinning");

        var command = new Command("plan", "Plan vCPU pinning, guest topology and NUMA-local memory for a GPU VM.")
        {
            vcpus, gpus, memory, reserve, hugepages, iothreads, root, connect, json, report,
        };
        command.SetAction(parse =>
        {
            var rootDir = parse.GetValue(root)!;
            CpuTopology topo;
            Func<string, int> gpuNode;
            if (HostConnectOption.Given(parse, connect, root))
            {
                // The host behind libvirt: its capabilities' CPUs and cells, its node devices' NUMA nodes.
                if (parse.GetValue(report) is not null) throw new InputException("--report", "reads this host's /sys and /proc: not with --connect");
                var host = HostConnectOption.WithCpus(HostConnectOption.Read(parse, connect));
                topo = host.Cpu;
                gpuNode = g => GpuNode(host, g);
            }
            else
            {
                if (!Directory.Exists(rootDir)) throw new InputException("--root", $"'{rootDir}' is not a directory");
                topo = CpuTopologyReader.Read(rootDir);
                var sysfs = new SysfsRoot(rootDir);
                gpuNode = g => GpuNode(sysfs, g);
            }
            var request = new PlanRequest(
                parse.GetValue(vcpus),
                (parse.GetValue(gpus) ?? []).Select(gpuNode).ToArray(),
                ParseMemory(parse.GetValue(memory)),
                ParseReserve(parse.GetValue(reserve)),
                ParseHugePages(parse.GetValue(hugepages)!),
                parse.GetValue(iothreads) is var t and >= 0 ? t : throw new InputException("--iothreads", "must be 0 or more"));
            var plan = CpuPlanner.Plan(topo, request);
            ReportOption.Write(io, parse.GetValue(report), () => ReportCommand.Build(rootDir, null, null, null, PinPlan.From(plan)));

            if (parse.GetValue(json))
                io.Out.WriteLine(JsonSerializer.Serialize(PlanJson.From(plan), PlanJsonContext.Default.PlanJson));
            else
                PlanView.Write(io.Console, topo, plan);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>numa_node of the GPU (function 0 of a slot, or the function given); -1 when the kernel does not know.</summary>
    private static int GpuNode(SysfsRoot root, string text)
    {
        var address = GpuAddress(text);
        return PciFunctionNode.TryRead(root, address, out var node) ? node
            : throw new InputException("--gpu", $"no PCI device {address} in {PciFunctionNode.DevicesDirectory(root)}");
    }

    /// <summary>The GPU's NUMA node as the host model (libvirt's node devices) has it; -1 when unknown.</summary>
    private static int GpuNode(HostModel host, string text)
    {
        var address = GpuAddress(text);
        return host.Function(address) is { } f ? f.NumaNode ?? -1
            : throw new InputException("--gpu", $"no PCI device {address} among the node devices of {host.Root}");
    }

    private static PciAddress GpuAddress(string text) =>
        PciAddress.TryParse(text, out var a) ? a
        : PciSlot.TryParse(text, out var s) ? new PciAddress(s.Domain, s.Bus, s.Device, 0)
        : throw new InputException("--gpu", $"'{text}' is not a PCI slot (0000:41:00) or function (0000:41:00.0)");

    private static long? ParseMemory(string? text) =>
        text is null ? null
        : MemorySize.TryParse(text, out var bytes) ? bytes
        : throw new InputException("--memory", $"'{text}' is not a size (e.g. 16G, 16384M)");

    private static CpuList? ParseReserve(string? text) =>
        text is null ? null
        : text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase) ? CpuList.Empty
        : CpuList.TryParse(text, out var list) && !list.IsEmpty ? list
        : throw new InputException("--reserve", $"'{text}' is not a CPU list (e.g. 0-1,48-49) or 'none'");

    private static HugePageChoice ParseHugePages(string text) => text.Trim().ToUpperInvariant() switch
    {
        "AUTO" => HugePageChoice.Auto,
        "2M" or "2MB" or "2MIB" => HugePageChoice.Size2M,
        "1G" or "1GB" or "1GIB" => HugePageChoice.Size1G,
        "NONE" => HugePageChoice.None,
        _ => throw new InputException("--hugepages", $"'{text}' is not auto, 2M, 1G or none"),
    };
}
