using System.CommandLine;
using System.Text.Json;
using VfioKit.Cli.Json;
using VfioKit.Cli.Rendering;
using VfioKit.Diagnostics;
using VfioKit.Host;
using VfioKit.Files;
using VfioKit.Libvirt;

namespace VfioKit.Cli.Commands;

/// <summary>`vfiokit host [--root DIR | --connect URI] [--json]`: the host's GPUs, IOMMU groups, CPUs and readiness for passthrough.</summary>
internal static class HostCommand
{
    public static Command Create(CliIO io)
    {
        var root = RootOption.Create();
        var connect = HostConnectOption.Create();
        var json = new Option<bool>("--json") { Description = "Print JSON (schema: docs/json/host.md) instead of tables." };
        var report = ReportOption.Create("the host");
        var command = new Command("host", "Show this host's GPUs (all functions of each slot), IOMMU group viability, drivers, links, NUMA nodes, CPU topology, huge pages and a readiness checklist. Exit 1 when a readiness check fails.")
        {
            root,
            connect,
            json,
            report,
        };
        command.SetAction(parse =>
        {
            var remote = HostConnectOption.Given(parse, connect, root);
            if (remote && parse.GetValue(report) is not null)
                throw new InputException("--report", "reads this host's /sys and /proc: not with --connect");
            var host = remote ? HostConnectOption.Read(parse, connect) : HostModel.Read(RootOption.Open(parse.GetValue(root)));
            ReportOption.Write(io, parse.GetValue(report), () => ReportCommand.Build(parse.GetValue(root) is { Length: > 0 } r ? r : "/", null, null));
            if (parse.GetValue(json))
                io.Out.WriteLine(JsonSerializer.Serialize(HostJsonMapping.From(host), HostJsonContext.Default.HostJson));
            else
                HostRenderer.Render(io.Console, host);
            return host.HasFailedCheck ? ExitCodes.Findings : ExitCodes.Ok;
        });
        return command;
    }
}

/// <summary>The `--root DIR` option of the verbs that read the host: `/` or a snapshot.</summary>
internal static class RootOption
{
    public static Option<string> Create() => new("--root")
    {
        Description = "Read the host from this directory instead of / (a `vfiokit snapshot`).",
        DefaultValueFactory = _ => "/",
    };

    public static SysfsRoot Open(string? dir)
    {
        var path = string.IsNullOrEmpty(dir) ? "/" : dir;
        if (!Directory.Exists(path)) throw new InputException("--root", $"'{path}' is not a directory");
        return new SysfsRoot(path);
    }
}

/// <summary>`--connect URI` on the verbs that read a host (host, new, plan): the host behind a libvirt connection,
/// from its node devices and capabilities, instead of a directory tree.</summary>
internal static class HostConnectOption
{
    public static Option<string?> Create() => new("--connect")
    {
        Description = "Read the host through libvirt at this URI (qemu:///system, qemu+ssh://root@host/system; '' for libvirt's default, LIBVIRT_DEFAULT_URI): its node devices and capabilities instead of /sys and /proc.",
    };

    /// <summary>Whether --connect was given; with an explicit --root too, bad input.</summary>
    public static bool Given(ParseResult parse, Option<string?> connect, Option<string> root)
    {
        if (parse.GetResult(connect) is null) return false;
        if (parse.GetResult(root) is { Implicit: false }) throw new InputException("--connect", "reads the host through libvirt: give --root or --connect, not both");
        return true;
    }

    /// <summary>A host to plan on needs CPUs: libvirt's test driver with a node file, for one, lists no NUMA cells.</summary>
    public static HostModel WithCpus(HostModel host) => host.Cpu.Cores.Count > 0 ? host
        : throw new InputException("--connect", $"{host.Root}: libvirt's capabilities list no CPUs (no NUMA cells): nothing to plan on");

    /// <summary>The host at the URI (read-only connection).</summary>
    public static HostModel Read(ParseResult parse, Option<string?> connect)
    {
        using var connection = LibvirtConnection.Open(parse.GetValue(connect), readOnly: true);
        return HostModel.Read(new LibvirtHostSource(connection));
    }
}
