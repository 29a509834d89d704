using Spectre.Console;
using VfioKit.Cli.Json;

namespace VfioKit.Cli.Rendering;

/// <summary>`vfiokit pin` for people: one row per thread (before, after, what the kernel reports), then memory and notes.</summary>
internal static class PinView
{
    public static void Write(IAnsiConsole console, PinJson pin)
    {
        // Redirected output defaults to 80 columns, which would fold the table.
        console.Profile.Width = Math.Max(console.Profile.Width, 132);
        console.Profile.Out.Writer.WriteLine(pin.DryRun
            ? $"Dry run: would pin QEMU process {pin.Pid} (threads found by {pin.Source}); nothing changed."
            : $"Pinned QEMU process {pin.Pid} (threads found by {pin.Source}).");
        var table = new Table().AddColumns("thread", "name", "role", "vCPU", "before", pin.DryRun ? "would be" : "after");
        if (!pin.DryRun) table.AddColumn("kernel reports");
        foreach (var t in pin.Threads)
        {
            var row = new List<string>
            {
                t.Tid.ToString(), Markup.Escape(t.Name), t.Role + (t.Iothread is { } io ? $" {Markup.Escape(io)}" : ""),
                t.Vcpu?.ToString() ?? "", t.Before, t.After,
            };
            if (!pin.DryRun) row.Add(t.Matches == true ? $"[green]{t.Actual}[/]" : $"[red]{t.Actual ?? "gone"}[/]");
            table.AddRow(row.ToArray());
        }
        console.Write(table);
        var w = console.Profile.Out.Writer;
        foreach (var d in pin.Differences) w.WriteLine($"differs: {d}");
        if (pin.Memory is { } m)
        {
            var nodes = string.Join(", ", m.Nodes.Select(n => $"node {n.Node}: {n.Bytes / (1024 * 1024)} MiB"));
            w.WriteLine($"Guest memory now: {(nodes.Length > 0 ? nodes : "none mapped")}; planned node(s) {string.Join(",", m.PlannedNodes)}");
            if (m.OffNodeBytes > 0)
                w.WriteLine($"warning: {m.OffNodeBytes / (1024 * 1024)} MiB is off the planned node(s); memory cannot be moved reliably once a VFIO guest runs: bind it at launch (numatune / host-nodes=,policy=bind).");
        }
        foreach (var n in pin.Notes) w.WriteLine($"note: {n}");
    }
}
