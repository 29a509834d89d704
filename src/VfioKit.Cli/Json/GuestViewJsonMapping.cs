using VfioKit.GuestView;
using VfioKit.Pci;
using VfioKit.Vm;

namespace VfioKit.Cli.Json;

/// <summary>Turns a prediction into its JSON contract.</summary>
internal static class GuestViewJsonMapping
{
    public static GuestViewJson From(string file, GuestViewResult r)
    {
        var m = r.Topology.Machine;
        return new GuestViewJson(
            file,
            new MachineJson(m.Type, m.Family == MachineFamily.Q35 ? "q35" : "i440fx", m.Version?.ToString(), r.MachineVersion.ToString()),
            r.QemuVersion.ToString(),
            r.Devices.Select(Device).ToList(),
            r.Problems.Select(p => new ProblemJson(p.Severity.ToString().ToLowerInvariant(), p.Message, p.Device, p.Source?.File, p.Source?.Line))
                // What a launch script leaves to run time: one info line, as lint's VK301 says it.
                .Concat(r.Topology.RunTime.Count > 0 ? [new ProblemJson("info", RunTimeValue.Summary(r.Topology.RunTime), null, file, r.Topology.RunTime[0].Line)] : [])
                .ToList(),
            r.Topology.Unsupported.ToList());
    }

    private static GuestDeviceJson Device(GuestDevice g)
    {
        var d = g.Device;
        return new GuestDeviceJson(
            d.Id,
            d.Name,
            d.Driver,
            d.Passthrough?.Host.Text,
            g.GuestAddress?.ToString(),
            g.Path.ToList(),
            g.Sees.ToString(),
            Link(g.Link),
            Link(g.PortLink),
            Link(g.PortLinkStatus),
            g.ExtendedConfigSpace,
            d.Placement is { } p ? new QemuPlaceJson(p.Bus, p.Address.ToString()) : null,
            (d.Placement?.Origin ?? AddressOrigin.Assumed).ToString().ToLowerInvariant(),
            d.Source is { } s ? new SourceJson(s.File, s.Line) : null,
            g.Note);
    }

    private static LinkJson? Link(PciLink? link) => link is { } l ? new LinkJson(l.Speed.GTs, l.Width) : null;
}
