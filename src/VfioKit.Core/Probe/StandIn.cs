using VfioKit.Pci;
using VfioKit.Vm;

namespace VfioKit.Probe;

/// <summary>
/// An emulated device put where a vfio-pci function was: same id, bus, address and multifunction, a
/// QEMU device model that gets the same PCI Express type as vfio-pci does on that bus, of the host
/// function's class when QEMU has a faithful model of it.
/// </summary>
/// <param name="Original">The vfio-pci device as configured.</param>
/// <param name="Replacement">The emulated device booted in its place.</param>
/// <param name="HostClass">The host function's class, when it could be read.</param>
/// <param name="ClassMatches">True when the stand-in's class has the host function's base class.</param>
/// <param name="Limits">What the stand-in cannot reproduce, for people (e.g. "the physical link").</param>
public sealed record StandIn(VmDevice Original, VmDevice Replacement, PciClass? HostClass, bool ClassMatches, ValueList<string> Limits);
