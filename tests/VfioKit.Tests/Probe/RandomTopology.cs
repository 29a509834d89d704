using System.Globalization;
using VfioKit.Pci;

namespace VfioKit.Tests.Probe;

/// <summary>
/// One guest's worth of random topologies: QEMU options holding several independent subtrees (t0, t1, ...,
/// each named by its id prefix), and the host class of every vfio-pci function it passes through.
/// </summary>
public sealed record TopologyBatch(int Index, string[] Arguments, IReadOnlyDictionary<string, PciClass> HostClasses, IReadOnlyList<string> Subtrees)
{
    /// <summary>The options of one subtree (and the machine), to paste as a smaller regression case.</summary>
    public string[] SubtreeArguments(string prefix)
    {
        var result = new List<string>();
        for (var i = 0; i < Arguments.Length; i++)
        {
            var a = Arguments[i];
            if (a == "-device")
            {
                var value = Arguments[++i];
                if (BelongsTo(value, prefix)) result.AddRange([a, value]);
            }
            else if (a.StartsWith('-') && i + 1 < Arguments.Length && !Arguments[i + 1].StartsWith('-')) result.AddRange([a, Arguments[++i]]);
            else result.Add(a);
        }
        return [.. result];
    }

    /// <summary>True when the device's id or bus is one of the subtree's (its prefix then a letter: t1rp0, not t10rp0).</summary>
    public static bool BelongsTo(string device, string prefix) =>
        device.Split(',').Any(part =>
            (part.StartsWith("id=" + prefix, StringComparison.Ordinal) || part.StartsWith("bus=" + prefix, StringComparison.Ordinal)) &&
            part.Length > part.IndexOf('=') + 1 + prefix.Length && char.IsLetter(part[part.IndexOf('=') + 1 + prefix.Length]));

    /// <summary>A C# collection expression of the options, to paste into a regression test.</summary>
    public static string AsCSharp(IEnumerable<string> args) =>
        "[" + string.Join(", ", args.Select(a => "\"" + a.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"")) + "]";
}

/// <summary>
/// A seeded generator of valid random QEMU PCI topologies: old and new machine types, pcie-root-port and
/// ioh3420 (x-speed/x-width, -global), multifunction slots and multifunction root ports, devices on the root
/// bus, switches with several downstream ports, pcie-pci-bridge, pci-bridge and i82801b11-bridge, pxb-pcie with
/// bus_nr and numa_node, auto-addressed devices, vfio-pci functions of various classes among emulated devices.
/// </summary>
public sealed class RandomTopology(int seed)
{
    private static readonly string[] Q35Machines = ["q35", "pc-q35-7.2", "pc-q35-6.2", "pc-q35-5.2", "pc-q35-4.0", "pc-q35-3.1", "pc-q35-2.12"];
    private static readonly string[] PcMachines = ["pc", "pc-i440fx-7.2", "pc-i440fx-3.1"];
    private static readonly string[] Speeds = ["2_5", "5", "8", "16"];
    private static readonly int[] Widths = [1, 2, 4, 8, 12, 16, 32];
    private static readonly string[] Leaves =
        ["vfio-pci", "vfio-pci", "vfio-pci", "vfio-pci", "e1000e", "nvme", "virtio-net-pci", "qemu-xhci", "e1000", "bochs-display",
         "ich9-intel-hda", "virtio-blk-pci", "rtl8139"];
    private static readonly int[] HostClassCodes = [0x030000, 0x040300, 0x020000, 0x010802, 0x0c0330, 0x030200];

    private readonly Random _rng = new(seed);

    public int Seed => seed;

    public TopologyBatch Next(int index, int subtrees)
    {
        var b = new Builder(_rng, _rng.Next(5) == 0);
        for (var t = 0; t < subtrees; t++) b.Subtree("t" + t.ToString(CultureInfo.InvariantCulture));
        return b.Finish(index);
    }

    private sealed class Builder
    {
        private readonly Random _rng;
        private readonly bool _q35;
        private readonly List<string> _args = [];
        private readonly List<string> _subtrees = [];
        private readonly Dictionary<string, PciClass> _classes = [];
        private readonly List<int> _rootSlots;
        private readonly List<Action> _expanders = [];
        private int _chassis = 1, _bridgeChassis = 1, _host, _drive, _buses, _auto, _leafId;
        private bool _defaultChassisUsed;

        public Builder(Random rng, bool i440fx)
        {
            _rng = rng;
            _q35 = !i440fx;
            var machine = _q35 ? Q35Machines[rng.Next(Q35Machines.Length)] : PcMachines[rng.Next(PcMachines.Length)];
            _args.AddRange(["-machine", machine]);
            if (rng.Next(4) != 0) _args.Add("-nodefaults");
            if (_q35 && rng.Next(5) == 0) _args.AddRange(["-global", "pcie-root-port.x-speed=" + Speeds[rng.Next(Speeds.Length)]]);
            if (_q35 && rng.Next(6) == 0) _args.AddRange(["-global", "pcie-root-port.x-width=" + Widths[rng.Next(Widths.Length)].ToString(CultureInfo.InvariantCulture)]);
            // Explicit root-bus slots come from the top; auto-addressed devices fill the bottom first.
            _rootSlots = [.. Enumerable.Range(0x08, 0x1e - 0x08 + 1).OrderBy(_ => rng.Next())];
        }

        private string Root => _q35 ? "pcie.0" : "pci.0";

        public void Subtree(string p)
        {
            _subtrees.Add(p);
            if (_rootSlots.Count < 2) { AutoLeaf(p); return; }
            var kind = _rng.Next(_q35 ? 10 : 5);
            switch (kind)
            {
                case 0: SlotGroup(p, Root, TakeRootSlot(), _rng.Next(1, 4), allowMissingZero: true); break;
                case 1: if (_auto < 4) AutoLeaf(p); else SlotGroup(p, Root, TakeRootSlot(), 1, false); break;
                case 2: Bridge(p, Root, Hex(TakeRootSlot()), _q35 && _rng.Next(3) == 0 ? "i82801b11-bridge" : "pci-bridge"); break;
                case 3 or 4: RootPorts(p, _rng.Next(4) == 0 ? _rng.Next(2, 4) : 1); break;
                case 5 or 6: RootPorts(p, 1, switchBelow: true); break;
                case 7: Bridge(p, Root, Hex(TakeRootSlot()), "pcie-pci-bridge"); break;
                case 8: if (_expanders.Count < 2) Expander(p); else RootPorts(p, 1); break;
                default: RootPorts(p, _rng.Next(1, 3)); break;
            }
        }

        public TopologyBatch Finish(int index)
        {
            // pxb-pcie buses are numbered after the whole pcie.0 hierarchy: bus_nr must lie above it.
            foreach (var e in _expanders) e();
            return new TopologyBatch(index, [.. _args], _classes, _subtrees);
        }

        private int TakeRootSlot()
        {
            var s = _rootSlots[^1];
            _rootSlots.RemoveAt(_rootSlots.Count - 1);
            return s;
        }

        private void Device(string text) => _args.AddRange(["-device", text]);

        /// <summary>Functions of one slot: function 0 multifunction when there are more (or, rarely, no function 0 at all).</summary>
        private void SlotGroup(string p, string bus, int slot, int functions, bool allowMissingZero)
        {
            var skipZero = allowMissingZero && functions > 1 && _rng.Next(8) == 0;
            var fns = Enumerable.Range(0, 8).OrderBy(_ => _rng.Next()).Take(functions - 1).Where(f => f != 0).Prepend(0).Distinct().Order().ToList();
            foreach (var f in fns)
            {
                if (f == 0 && skipZero) continue;
                var addr = f == 0 ? Hex(slot) : $"{Hex(slot)}.{f}";
                Device(Leaf(p, bus, addr, multifunction: f == 0 && fns.Count > 1));
            }
        }

        private void AutoLeaf(string p)
        {
            _auto++;
            Device(Leaf(p, _rng.Next(2) == 0 ? Root : null, null, false));
        }

        private string Leaf(string p, string? bus, string? addr, bool multifunction)
        {
            var driver = Leaves[_rng.Next(Leaves.Length)];
            var id = $"{p}d{_leafId++}";
            var parts = new List<string> { driver, "id=" + id };
            switch (driver)
            {
                case "vfio-pci":
                    var host = $"0000:{0x10 + _host / 8:x2}:00.{_host % 8}";
                    _host++;
                    parts.Add("host=" + host);
                    if (_rng.Next(6) != 0) _classes[host] = PciClass.FromCode(HostClassCodes[_rng.Next(HostClassCodes.Length)]);
                    break;
                case "nvme":
                    parts.AddRange([$"serial=s{_drive}", $"drive=disk{_drive++}"]);
                    break;
                case "virtio-blk-pci":
                    parts.Add($"drive=disk{_drive++}");
                    break;
            }
            if (bus is not null) parts.Add("bus=" + bus);
            if (addr is not null) parts.Add("addr=" + addr);
            if (multifunction) parts.Add("multifunction=on");
            return string.Join(',', parts);
        }

        private string PortProperties(string driver)
        {
            var parts = new List<string>();
            if (!_defaultChassisUsed && _rng.Next(10) == 0) _defaultChassisUsed = true; // chassis 0, slot 0: allowed once
            else
            {
                var c = _chassis++;
                parts.AddRange([$"chassis={c}", $"slot={c}"]);
            }
            if (driver == "pcie-root-port")
            {
                if (_rng.Next(3) == 0) parts.Add("x-speed=" + Speeds[_rng.Next(Speeds.Length)]);
                if (_rng.Next(3) == 0) parts.Add("x-width=" + Widths[_rng.Next(Widths.Length)].ToString(CultureInfo.InvariantCulture));
            }
            return parts.Count == 0 ? "" : "," + string.Join(',', parts);
        }

        /// <summary>Root ports in one root-bus slot (several = a multifunction group of ports), each with something below.</summary>
        private void RootPorts(string p, int count, bool switchBelow = false)
        {
            var slot = TakeRootSlot();
            for (var f = 0; f < count; f++)
            {
                var driver = _q35 && _rng.Next(3) == 0 ? "ioh3420" : "pcie-root-port";
                var id = $"{p}rp{f}";
                var addr = count == 1 && _rng.Next(2) == 0 ? Hex(slot) : $"{Hex(slot)}.{f}";
                Device($"{driver},id={id},bus={Root},addr={addr}{(f == 0 && count > 1 ? ",multifunction=on" : "")}{PortProperties(driver)}");
                _buses++;
                if (switchBelow && f == 0) Switch(p, id);
                else BelowPort(p, id);
            }
        }

        private void BelowPort(string p, string port)
        {
            switch (_rng.Next(8))
            {
                case 0: break; // an empty port
                case 1: Device(Leaf(p, port, null, false)); break; // auto-addressed: slot 0
                case 2 when _q35: Bridge(p + port[p.Length..], port, "0x0", "pcie-pci-bridge"); break;
                default: SlotGroup(p, port, 0, _rng.Next(1, 4), allowMissingZero: false); break;
            }
        }

        private void Switch(string p, string port)
        {
            var up = $"{p}up";
            Device($"x3130-upstream,id={up},bus={port},addr=0x0");
            _buses++;
            var downstream = _rng.Next(2, 5);
            var slots = Enumerable.Range(0, 32).OrderBy(_ => _rng.Next()).Take(downstream).Order().ToList();
            for (var k = 0; k < downstream; k++)
            {
                var id = $"{p}dp{k}";
                Device($"xio3130-downstream,id={id},bus={up},addr={Hex(slots[k])}{PortProperties("xio3130-downstream")}");
                _buses++;
                if (_rng.Next(5) != 0) SlotGroup(p, id, 0, _rng.Next(1, 3), false);
            }
        }

        private void Bridge(string p, string bus, string addr, string driver)
        {
            var id = $"{p}br";
            var extra = driver == "pci-bridge" ? $",chassis_nr={_bridgeChassis++}" : "";
            Device($"{driver},id={id},bus={bus},addr={addr}{extra}");
            _buses++;
            var n = _rng.Next(1, 4);
            var slots = Enumerable.Range(1, 31).OrderBy(_ => _rng.Next()).Take(n).ToList();
            var auto = driver != "pcie-pci-bridge" && _rng.Next(4) == 0;
            foreach (var s in slots) SlotGroup(p, id, s, _rng.Next(1, 3), false);
            // Auto-addressed last: QEMU gives it the first slot still free when it is created.
            if (auto) Device(Leaf(p, id, null, false));
        }

        private void Expander(string p)
        {
            var slot = TakeRootSlot();
            var numa = _rng.Next(2);
            var ports = _rng.Next(1, 3); // QEMU takes only bridges and ports on a pxb-pcie bus
            // Written at the end, when the buses of the pcie.0 hierarchy are all counted: bus_nr must lie above them.
            var placeholder = $"@{p}pxb";
            Device(placeholder);
            _expanders.Add(() =>
            {
                var busNr = Math.Max(_buses + 1 + _rng.Next(0, 4), 0x20 + _rng.Next(0, 8));
                _buses = busNr + ports + 1;
                _args[_args.IndexOf(placeholder)] = $"pxb-pcie,id={p}pxb,bus_nr={busNr},numa_node={numa},bus=pcie.0,addr={Hex(slot)}";
            });
            for (var k = 0; k < ports; k++)
            {
                var id = $"{p}xrp{k}";
                Device($"pcie-root-port,id={id},bus={p}pxb,addr={Hex(k)}{PortProperties("pcie-root-port")}");
                BelowPortSimple(p, id);
            }
        }

        private void BelowPortSimple(string p, string port)
        {
            if (_rng.Next(4) != 0) SlotGroup(p, port, 0, _rng.Next(1, 3), false);
        }

        private static string Hex(int n) => "0x" + n.ToString("x", CultureInfo.InvariantCulture);
    }
}
