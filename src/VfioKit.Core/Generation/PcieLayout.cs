using System.Globalization;
using VfioKit.Pci;
using VfioKit.Vm;

namespace VfioKit.Generation;

/// <summary>Hands out controller indexes (ids "pci.N", libvirt's aliases), chassis numbers and free slots while the
/// blueprint's PCIe tree is laid out, so that no two devices share an address and no two ports a chassis.</summary>
internal sealed class PcieLayout(bool expanders)
{
    private readonly List<VmDevice> devices = [];
    private readonly Dictionary<string, int> nextSlot = new() { ["pcie.0"] = 0x02 };
    private int index;
    private int expanderCount;

    public IReadOnlyList<VmDevice> Devices => devices;

    public void Add(VmDevice device) => devices.Add(device);

    /// <summary>The next free slot of pcie.0 (00:00 is the host bridge, 00:01 kept for video, 00:1f the chipset).</summary>
    public int NextRootSlot()
    {
        var slot = nextSlot["pcie.0"]++;
        if (slot >= 0x1f) throw new Diagnostics.InputException("--gpu", "too many devices for one root bus");
        return slot;
    }

    /// <summary>A pxb-pcie for a guest NUMA node; its bus numbers start at 0x80 + 0x10 per expander.</summary>
    public string AddExpander(int guestNode)
    {
        var id = NextId();
        var busNr = 0x80 + 0x10 * expanderCount++;
        devices.Add(new VmDevice
        {
            Driver = "pxb-pcie", Id = id, Bus = "pcie.0", Address = new GuestAddress(NextRootSlot(), 0),
            Expander = new ExpanderSettings(busNr, guestNode),
        });
        nextSlot[id] = 0;
        return id;
    }

    /// <summary>A pcie-root-port on <paramref name="bus"/> with a unique chassis (= its index, as libvirt numbers them)
    /// and the host link as x-speed/x-width.</summary>
    public string AddRootPort(string bus, PciLink? link)
    {
        var id = NextId();
        var n = int.Parse(id.AsSpan(4), CultureInfo.InvariantCulture);
        var slot = bus == "pcie.0" ? NextRootSlot() : nextSlot[bus]++;
        devices.Add(new VmDevice
        {
            Driver = "pcie-root-port", Id = id, Bus = bus, Address = new GuestAddress(slot, 0),
            Port = new PortSettings(Chassis: n, Slot: n, Port: n, Speed: link?.Speed, Width: link?.Width),
        });
        return id;
    }

    private string NextId() => "pci." + (++index).ToString(CultureInfo.InvariantCulture);

    public bool HasExpanders => expanders;
}
