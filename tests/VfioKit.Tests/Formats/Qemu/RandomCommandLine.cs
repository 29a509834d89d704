using System.Globalization;

namespace VfioKit.Tests.Formats.Qemu;

/// <summary>
/// Random QEMU command lines of PCI devices: machines, root ports, switches, bridges, expanders and
/// endpoints on random buses and addresses, in both -device forms. Often invalid in the ways users get
/// wrong (duplicate chassis, taken addresses, missing multifunction), which is the point.
/// </summary>
public static class RandomCommandLine
{
    public static string[] Make(Random r, bool withPassthrough = true)
    {
        var args = new List<string>();
        var machine = Pick(r, "q35", "q35", "pc-q35-7.2", "pc-q35-3.1", "pc");
        var q35 = machine != "pc";
        args.AddRange(["-M", machine]);
        if (r.Next(3) == 0) args.Add("-nodefaults");
        if (r.Next(5) == 0) args.AddRange(["-vga", "none"]);
        if (q35 && r.Next(8) == 0) args.AddRange(["-global", "pcie-root-port.x-speed=8"]);
        var root = q35 ? "pcie.0" : "pci.0";
        var slotBuses = new List<string>();   // below a port: one device
        var switchBuses = new List<string>(); // below an upstream port
        var otherBuses = new List<string> { root };
        var n = r.Next(0, 10);
        for (var i = 0; i < n; i++)
        {
            var props = new List<(string, string)>();
            string driver;
            var kind = r.Next(10);
            if (q35 && kind < 3)
            {
                driver = Pick(r, "pcie-root-port", "pcie-root-port", "ioh3420");
                var id = "rp" + i.ToString(CultureInfo.InvariantCulture);
                props.Add(("id", id));
                if (r.Next(4) > 0) props.Add(("chassis", r.Next(1, 6).ToString(CultureInfo.InvariantCulture)));
                if (r.Next(3) == 0) props.Add(("slot", r.Next(0, 3).ToString(CultureInfo.InvariantCulture)));
                if (driver == "pcie-root-port" && r.Next(4) == 0) props.Add(("x-speed", Pick(r, "2_5", "5", "8", "16")));
                if (driver == "pcie-root-port" && r.Next(4) == 0) props.Add(("x-width", Pick(r, "1", "4", "16", "32")));
                props.Add(("bus", r.Next(3) == 0 ? Pick(r, [.. otherBuses]) : root));
                slotBuses.Add(id);
            }
            else if (q35 && kind == 3 && slotBuses.Count > 0)
            {
                driver = "x3130-upstream";
                var id = "up" + i.ToString(CultureInfo.InvariantCulture);
                props.AddRange([("id", id), ("bus", Pick(r, [.. slotBuses]))]);
                switchBuses.Add(id);
            }
            else if (q35 && kind == 4 && switchBuses.Count > 0)
            {
                driver = "xio3130-downstream";
                var id = "dp" + i.ToString(CultureInfo.InvariantCulture);
                props.AddRange([("id", id), ("bus", Pick(r, [.. switchBuses])), ("chassis", r.Next(1, 8).ToString(CultureInfo.InvariantCulture))]);
                props.Add(("addr", "0x" + r.Next(0, 4).ToString("x", CultureInfo.InvariantCulture)));
                slotBuses.Add(id);
            }
            else if (kind == 5)
            {
                driver = q35 ? Pick(r, "pcie-pci-bridge", "pci-bridge", "i82801b11-bridge") : "pci-bridge";
                var id = "br" + i.ToString(CultureInfo.InvariantCulture);
                props.Add(("id", id));
                if (driver == "pci-bridge") props.Add(("chassis_nr", r.Next(1, 9).ToString(CultureInfo.InvariantCulture)));
                props.Add(("bus", root));
                otherBuses.Add(id);
            }
            else if (q35 && kind == 6 && r.Next(2) == 0)
            {
                driver = "pxb-pcie";
                var id = "pxb" + i.ToString(CultureInfo.InvariantCulture);
                props.AddRange([("id", id), ("bus_nr", "0x" + r.Next(0x20, 0xf0).ToString("x", CultureInfo.InvariantCulture)), ("bus", root)]);
            }
            else
            {
                driver = withPassthrough
                    ? Pick(r, "e1000e", "e1000", "virtio-net-pci", "virtio-rng-pci", "qemu-xhci", "vfio-pci")
                    : Pick(r, "e1000e", "e1000", "virtio-net-pci", "virtio-rng-pci", "qemu-xhci");
                props.Add(("id", "d" + i.ToString(CultureInfo.InvariantCulture)));
                if (driver == "vfio-pci") props.Add(("host", Pick(r, "0000:0b:00.0", "0b:00.1", "$GPU.0")));
                var buses = slotBuses.Concat(otherBuses).ToList();
                if (r.Next(4) > 0) props.Add(("bus", Pick(r, [.. buses])));
                if (r.Next(2) == 0)
                {
                    var slot = r.Next(3) == 0 ? 0 : r.Next(1, 0x1e);
                    var fn = r.Next(4) == 0 ? r.Next(1, 8) : 0;
                    props.Add(("addr", fn == 0 ? $"0x{slot:x}" : $"0x{slot:x}.0x{fn:x}"));
                }
                if (r.Next(3) == 0) props.Add(("multifunction", "on"));
            }
            args.Add("-device");
            args.Add(r.Next(3) == 0 ? Json(driver, props) : driver + string.Concat(props.Select(p => $",{p.Item1}={p.Item2}")));
        }
        return [.. args];
    }

    private static string Json(string driver, List<(string Key, string Value)> props) =>
        "{\"driver\":\"" + driver + "\"" + string.Concat(props.Select(p =>
            p.Key is "chassis" or "slot" or "chassis_nr" ? $",\"{p.Key}\":{p.Value}"
            : p.Key == "bus_nr" ? $",\"bus_nr\":{Convert.ToInt32(p.Value, 16)}"
            : p.Key == "multifunction" ? ",\"multifunction\":true"
            : $",\"{p.Key}\":\"{p.Value}\"")) + "}";

    private static string Pick(Random r, params string[] options) => options[r.Next(options.Length)];
}
