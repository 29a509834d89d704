using System.CommandLine;
using System.Text.Json;
using VfioKit.Cli.Json;
using VfioKit.Cli.Rendering;
using VfioKit.Diagnostics;
using VfioKit.Host;
using VfioKit.Files;

namespace VfioKit.Cli.Commands;

/// <summary>`vfiokit host [--root DIR] [--json]`: the host's GPUs, IOMMU groups, CPUs and readiness for passthrough.</summary>
internal static class HostCommand
{
    public static Command Create(CliIO io)
    {
        var root = RootOption.Create();
        var json = new Option<bool>("--json") { Description = "Print JSON (schema: docs/json/host.md) instead of tables." };
        var report = ReportOption.Create("the host");
        var command = new Command("host", "Show this host's GPUs (all functions of each slot), IOMMU group viability, drivers, links, NUMA nodes, CPU topology, huge pages and a readiness checklist. Exit 1 when a readiness check fails.")
        {
            root,
            json,
            report,
        };
        command.SetAction(parse =>
        {
            var host = HostModel.Read(RootOption.Open(parse.GetValue(root)));
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
