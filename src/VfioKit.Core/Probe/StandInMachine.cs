using VfioKit.Vm;

namespace VfioKit.Probe;

/// <summary>
/// The throwaway VM a probe boots: the user's topology with every vfio-pci function replaced by a
/// <see cref="StandIn"/> and every backend (disk, network, chardev, memory) replaced by a null one,
/// as QEMU options. <see cref="Topology"/> lists the devices in the same order as the original.
/// </summary>
/// <param name="Original">The topology as read from the user's file.</param>
/// <param name="Topology">The stand-in VM's topology (same machine type, controllers and addresses).</param>
/// <param name="Arguments">QEMU options for the machine: -machine, defaults, -global, -m, NUMA, backends, -device ...</param>
/// <param name="Dropped">What of the original could not be carried over, for people (unsupported options, machine options).</param>
public sealed record StandInMachine(
    VmTopology Original,
    VmTopology Topology,
    ValueList<StandIn> StandIns,
    IReadOnlyList<string> Arguments,
    ValueList<string> Dropped)
{
    /// <summary>The stand-in for a device: the same object, or a vfio-pci device with the same id (the same VM read
    /// from another file, e.g. a domain XML and libvirt's command line for it).</summary>
    public StandIn? StandInFor(VmDevice original) =>
        StandIns.FirstOrDefault(s => ReferenceEquals(s.Original, original)) ??
        (original.IsPassthrough && original.Id is not null ? StandIns.FirstOrDefault(s => s.Original.Id == original.Id) : null);
}
