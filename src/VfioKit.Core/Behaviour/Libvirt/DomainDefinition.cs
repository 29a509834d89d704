using VfioKit.Vm;

namespace VfioKit.Behaviour.Libvirt;

/// <summary>
/// The domain as libvirt 9.0's QEMU driver holds it after parsing and post-parse defaults: devices
/// grouped in libvirt's lists (controllers sorted by type and index, nets, sounds, disks, hostdevs with
/// interface type='hostdev' first, ...), the implicit devices it adds (pcie-root / pci-root, q35's SATA
/// controller, the default USB controller, a virtio memballoon, a video device for graphics, controllers
/// for disks and virtio channels) and the aliases it gives (qemuAssignDeviceAliases).
/// </summary>
public sealed class DomainDefinition
{
    public required MachineFamily Family { get; init; }
    public List<AddressableDevice> Controllers { get; } = [];
    public List<AddressableDevice> Filesystems { get; } = [];
    public List<AddressableDevice> Nets { get; } = [];
    public List<AddressableDevice> Sounds { get; } = [];
    public List<AddressableDevice> Disks { get; } = [];
    public List<AddressableDevice> Hostdevs { get; } = [];
    public List<AddressableDevice> Memballoons { get; } = [];
    public List<AddressableDevice> Rngs { get; } = [];
    public List<AddressableDevice> Watchdogs { get; } = [];
    public List<AddressableDevice> Videos { get; } = [];
    public List<AddressableDevice> Shmems { get; } = [];
    public List<AddressableDevice> Inputs { get; } = [];
    public List<AddressableDevice> Serials { get; } = [];
    public List<AddressableDevice> Others { get; } = [];

    public bool HasPcieRoot => Family == MachineFamily.Q35;

    /// <summary>Every device, in libvirt's device-iteration order.</summary>
    public IEnumerable<AddressableDevice> All =>
        Disks.Concat(Nets).Concat(Sounds).Concat(Hostdevs).Concat(Videos).Concat(Controllers).Concat(Serials)
            .Concat(Inputs).Concat(Filesystems).Concat(Watchdogs).Concat(Memballoons).Concat(Rngs).Concat(Shmems).Concat(Others);

    public IEnumerable<AddressableDevice> PciControllers => Controllers.Where(c => c.Type == "pci");

    /// <summary>Inserts a controller where libvirt does (virDomainControllerInsertPreAlloced): after the last
    /// controller of the same type with a lower index, before one with a higher index, else at the end.</summary>
    public void InsertController(AddressableDevice controller)
    {
        var insertAt = -1;
        for (var i = Controllers.Count - 1; i >= 0; i--)
        {
            var current = Controllers[i];
            if (current.Type != controller.Type) continue;
            if (current.Index > controller.Index) insertAt = i;
            else if (insertAt == -1) insertAt = i + 1;
        }
        if (insertAt == -1) Controllers.Add(controller);
        else Controllers.Insert(insertAt, controller);
    }

    public AddressableDevice? FindController(string type, int index) =>
        Controllers.FirstOrDefault(c => c.Type == type && c.Index == index);

}
