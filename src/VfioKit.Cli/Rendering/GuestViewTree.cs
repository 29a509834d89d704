using Spectre.Console;
using VfioKit.GuestView;
using VfioKit.Pci;
using VfioKit.Vm;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Cli.Rendering;

/// <summary>The default output of `vfiokit guest-view`: the PCI tree as the guest enumerates it, then the problems.</summary>
internal static class GuestViewTree
{
    public static void Render(IAnsiConsole console, string file, GuestViewResult r)
    {
        var m = r.Topology.Machine;
        var tree = new Tree(Markup.Escape(
            $"{file}: {m.Type} (machine {r.MachineVersion} defaults, QEMU {r.QemuVersion})"));
        var nodes = new Dictionary<string, TreeNode>(StringComparer.Ordinal);

        var root = tree.AddNode(Markup.Escape(r.Topology.RootBusId));
        nodes[r.Topology.RootBusId] = root;
        foreach (var g in r.Devices)
        {
            var parentBus = g.Path.Count >= 2 ? g.Path[^2] : r.Topology.RootBusId;
            var parent = nodes.TryGetValue(parentBus, out var n) ? n : root;
            var node = parent.AddNode(Line(g));
            if (g.Device.Controller is not null && r.Topology.SecondaryBusOf(g.Device) is { } own) nodes[own] = node;
        }
        console.Write(tree);

        if (r.Topology.Unsupported.Count > 0)
            foreach (var u in r.Topology.Unsupported)
                console.MarkupLine($"[yellow]not read:[/] {Markup.Escape(u)}");
        if (r.Topology.RunTime.Count > 0)
            console.MarkupLine($"{Markup.Escape($"{file}:{r.Topology.RunTime[0].Line}")}: [blue]info[/]: {Markup.Escape(RunTimeValue.Summary(r.Topology.RunTime))}");
        if (r.Problems.Count == 0)
        {
            console.MarkupLine("[green]no problems[/]");
            return;
        }
        foreach (var p in r.Problems)
        {
            var colour = p.Severity == ProblemSeverity.Error ? "red" : "yellow";
            var where = p.Source is null ? "" : Markup.Escape(p.Source.ToString()) + ": ";
            console.MarkupLine($"{where}[{colour}]{p.Severity.ToString().ToLowerInvariant()}[/]: {Markup.Escape(p.Message)}");
        }
    }

    private static string Line(GuestDevice g)
    {
        var d = g.Device;
        var address = g.GuestAddress is { } a ? $"{a.Bus:x2}:{a.Device:x2}.{a.Function:x}" : "--:--.-";
        var text = $"[bold]{address}[/] {Markup.Escape(d.Name)}";
        if (d.Id is not null && d.Id != d.Driver) text += $" [grey]{Markup.Escape(d.Driver)}[/]";
        if (d.Passthrough is { } pt) text += $" host={Markup.Escape(pt.Host.Text)}";
        text += $" — {Sees(g.Sees)}";
        if (g.Link is { } l) text += $", link {Link(l)}";
        else if (g.Sees == GuestDeviceKind.Endpoint && d.IsPassthrough) text += ", link: the host's";
        if (g.PortLink is { } pl) text += $", port {Link(pl)}" + (g.PortLinkStatus is { } ps && ps != pl ? $" (at {Link(ps)})" : "");
        if (d.IsImplicit) text += " [grey](machine)[/]";
        else if (d.Placement?.Origin == Vm.AddressOrigin.Assumed) text += " [grey](placed by QEMU)[/]";
        return text;
    }

    private static string Sees(GuestDeviceKind kind) => kind switch
    {
        GuestDeviceKind.Endpoint => "[green]Endpoint[/]",
        GuestDeviceKind.RootComplexIntegratedEndpoint => "[yellow]Root Complex Integrated Endpoint[/]",
        GuestDeviceKind.ConventionalPci => "conventional PCI",
        GuestDeviceKind.NotVisible => "[red]not visible[/]",
        _ => kind.ToString(),
    };

    private static string Link(PciLink l) => Markup.Escape(l.Speed.IsKnown ? $"{l.Speed} x{l.Width}" : $"unknown speed x{l.Width}");
}
