using VfioKit.Vm;

namespace VfioKit.Tests.Formats.Libvirt;

/// <summary>Compares two placed topologies device by device (matched by id): bus, slot and function.</summary>
public static class TopologyAgreement
{
    /// <summary>One line per disagreement; empty when both place every PCI device alike.</summary>
    public static IReadOnlyList<string> Differences(VmTopology fromXml, VmTopology fromArgs)
    {
        var diffs = new List<string>();
        static string Where(VmDevice d) => d.Placement is { } p ? $"{p.Bus}:{p.Address}" : "(unplaced)";
        var xmlDevices = fromXml.Configured.Where(d => d.Id is not null).ToList();
        var argDevices = fromArgs.Configured.Where(d => d.Id is not null && d.Placement is not null && IsPciBus(fromArgs, d.Placement.Bus)).ToList();
        foreach (var a in argDevices)
        {
            var x = xmlDevices.FirstOrDefault(d => d.Id == a.Id);
            if (x is null) { diffs.Add($"{a.Id} ({a.Driver}) at {Where(a)} in argv, missing from the XML reading"); continue; }
            if (x.Placement?.Bus != a.Placement!.Bus || x.Placement?.Address != a.Placement.Address)
                diffs.Add($"{a.Id}: XML {Where(x)}, argv {Where(a)}");
        }
        foreach (var x in xmlDevices.Where(x => argDevices.All(a => a.Id != x.Id)))
            diffs.Add($"{x.Id} ({x.Driver}) at {Where(x)} from the XML, missing from argv");
        return diffs;
    }

    /// <summary>Differences about the given devices only (by id): both must place each of them alike.</summary>
    public static IReadOnlyList<string> DifferencesFor(VmTopology a, VmTopology b, IEnumerable<string> ids)
    {
        var diffs = new List<string>();
        foreach (var id in ids)
        {
            var x = a.FindDevice(id);
            var y = b.FindDevice(id);
            if (x?.Placement?.Bus != y?.Placement?.Bus || x?.Placement?.Address != y?.Placement?.Address)
                diffs.Add($"{id}: {x?.Placement?.ToString() ?? "missing"} vs {y?.Placement?.ToString() ?? "missing"}");
        }
        return diffs;
    }

    /// <summary>How many configured PCI devices with an id a topology has (what Differences compares).</summary>
    public static int Compared(VmTopology t) =>
        t.Configured.Count(d => d.Id is not null && d.Placement is not null && IsPciBus(t, d.Placement.Bus));

    private static bool IsPciBus(VmTopology t, string bus) => t.FindBus(bus) is not null;
}
