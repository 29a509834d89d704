using Spectre.Console;
using VfioKit.Probe;

namespace VfioKit.Cli.Rendering;

/// <summary>The default output of `vfiokit probe`: what the guest saw beside the prediction, device by device.</summary>
internal static class ProbeTable
{
    private static readonly string[] Columns = ["type", "link", "portLink", "portLinkStatus"];

    public static void Render(CliIO io, string file, ProbeResult r, KernelImage booted)
    {
        var console = io.Console;
        console.MarkupLine(Markup.Escape(
            $"{file}: {r.Prediction.Topology.Machine.Type}, QEMU {r.Prediction.QemuVersion}, guest booted in {r.Run.Elapsed.TotalSeconds:0.0} s" +
            $" under {r.Accelerator.Name.ToUpperInvariant()} ({r.Accelerator.Reason}), kernel {(booted.IsPvh ? "PVH" : "bzImage")} {booted.Source}"));
        if (!r.Run.Completed || r.Findings is null)
        {
            console.MarkupLine("[red]the probe did not complete[/]");
            // Verbatim, not wrapped: QEMU's own message is what users search for.
            io.Out.WriteLine(r.Run.Explain());
            if (Configured(r) is { } where) io.Out.WriteLine($"that device is configured at {where}");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("device");
        table.AddColumn("address");
        table.AddColumn("type");
        table.AddColumn("link");
        table.AddColumn("port LnkCap");
        table.AddColumn("port LnkSta");
        foreach (var d in r.Findings.Devices)
        {
            var name = Markup.Escape(d.Name) + (d.StandIn is { } s ? $" [grey](stand-in {Markup.Escape(s.Replacement.Driver)})[/]" : "");
            var address = d.Checks.First(c => c.Property == "address");
            var identity = d.Checks.FirstOrDefault(c => c.Property == "identity");
            table.AddRow(
                new Markup(name),
                new Markup(Short(address) + (identity is { IsFinding: true } ? $" [red]found {Markup.Escape(identity.Seen)}[/]" : "")),
                new Markup(Cell(d.Checks.FirstOrDefault(c => c.Property == Columns[0]))),
                new Markup(Cell(d.Checks.FirstOrDefault(c => c.Property == Columns[1]))),
                new Markup(Cell(d.Checks.FirstOrDefault(c => c.Property == Columns[2]))),
                new Markup(Cell(d.Checks.FirstOrDefault(c => c.Property == Columns[3]))));
        }
        console.Write(table);

        foreach (var f in r.Findings.Unexpected)
            console.MarkupLine($"[red]unexpected:[/] {Markup.Escape(f.ToString())}");
        foreach (var s in r.Machine.StandIns)
            console.MarkupLine($"[grey]{Markup.Escape(s.Original.Name)} → {Markup.Escape(s.Replacement.Driver)}: cannot show {Markup.Escape(string.Join("; ", s.Limits))}[/]");
        foreach (var d in r.Machine.Dropped)
            console.MarkupLine($"[yellow]not carried into the probe VM:[/] {Markup.Escape(d)}");
        console.MarkupLine(r.Agrees
            ? "[green]the guest agrees with the prediction wherever the stand-ins are faithful[/]"
            : $"[red]the guest disagrees with the prediction:[/]\n{Markup.Escape(string.Join("\n", r.Findings.Describe()))}");
    }

    /// <summary>Where the user configured the device QEMU names in its error (by its id), if it has one.</summary>
    private static string? Configured(ProbeResult r)
    {
        if (r.Run.OffendingOption is not { } option) return null;
        var id = option.Split(',').FirstOrDefault(p => p.StartsWith("id=", StringComparison.Ordinal))?[3..];
        return id is null ? null : r.Prediction.Topology.FindDevice(id)?.Source?.ToString();
    }

    /// <summary>The guest address as lspci shows it (01:00.0), red with both when the guest had nothing there.</summary>
    private static string Short(PropertyCheck address)
    {
        var text = address.Predicted.StartsWith("0000:", StringComparison.Ordinal) ? address.Predicted[5..] : address.Predicted;
        return address.Agrees ? "[bold]" + Markup.Escape(text) + "[/]" : $"[red]{Markup.Escape(text)}: nothing there[/]";
    }

    /// <summary>"Endpoint" when both agree; "predicted / seen" in red when they differ; grey when the stand-in cannot tell.</summary>
    private static string Cell(PropertyCheck? c)
    {
        if (c is null) return "";
        if (c.Agrees) return "[green]" + Markup.Escape(c.Seen) + "[/]";
        var text = Markup.Escape($"{c.Predicted} / {c.Seen}");
        return c.Faithful ? $"[red]{text}[/]" : $"[grey]{text} (stand-in)[/]";
    }
}
