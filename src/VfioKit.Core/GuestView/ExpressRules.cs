using VfioKit.Pci;
using VfioKit.Vm;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.GuestView;

/// <summary>
/// What type and link a device shows the guest, given where it is plugged. Encodes QEMU's code:
/// <list type="bullet">
/// <item>vfio-pci (hw/vfio/pci.c vfio_setup_pcie_cap): on a non-express bus the PCIe capability is hidden
/// when the root complex is express (q35), kept as-is otherwise (i440fx); on an express root bus an Endpoint
/// becomes a Root Complex Integrated Endpoint with LnkCap/LnkSta/LnkCap2 zeroed and a Legacy Endpoint loses
/// the capability; below a port an integrated endpoint becomes an Endpoint with a made-up 2.5 GT/s x1 link
/// and everything else passes through. Extended config space only on express buses (vfio_add_ext_cap).</item>
/// <item>PCIe device models (e1000e, igb, nvme; hw/pci/pcie.c pcie_endpoint_cap_common_init): an integrated
/// endpoint on an express root bus, an Endpoint elsewhere, with pcie_cap_v1_fill's 2.5 GT/s x1 link.</item>
/// <item>virtio-*-pci (hw/virtio/virtio-pci.c virtio_pci_realize): PCIe only on an express bus that is not
/// a root bus (behind a port), else conventional PCI.</item>
/// <item>qemu-xhci (hw/usb/hcd-xhci-pci.c): PCIe whenever the bus is express.</item>
/// </list>
/// </summary>
public static class ExpressRules
{
    public sealed record Outcome(GuestDeviceKind Sees, PciLink? Link, bool HasLink, bool ExtendedConfigSpace, string? Note = null);

    public static Outcome For(VmDevice device, BusContext bus, HostFunction? host, PciLink? portCapability)
    {
        switch (DeviceCatalog.FamilyOf(device.Driver))
        {
            case DeviceFamily.Passthrough:
                return Passthrough(bus, host);
            case DeviceFamily.Express:
                return bus.IsExpress && bus.IsRoot
                    ? new Outcome(GuestDeviceKind.RootComplexIntegratedEndpoint, null, false, true)
                    : new Outcome(GuestDeviceKind.Endpoint, PortLinks.Gen1X1, true, bus.IsExpress);
            case DeviceFamily.VirtioHybrid:
                return bus.IsExpress && !bus.IsRoot
                    ? new Outcome(GuestDeviceKind.Endpoint, PortLinks.Gen1X1, true, true)
                    : new Outcome(GuestDeviceKind.ConventionalPci, null, false, false);
            case DeviceFamily.XhciHybrid:
                if (!bus.IsExpress) return new Outcome(GuestDeviceKind.ConventionalPci, null, false, false);
                return bus.IsRoot
                    ? new Outcome(GuestDeviceKind.RootComplexIntegratedEndpoint, null, false, true)
                    : new Outcome(GuestDeviceKind.Endpoint, PortLinks.Gen1X1, true, true);
            case DeviceFamily.Controller:
                return Controller(device, bus, portCapability);
            case DeviceFamily.Chipset:
                return new Outcome(device.Driver is "mch" or "i440FX" ? GuestDeviceKind.HostBridge : GuestDeviceKind.ConventionalPci, null, false, false);
            default:
                return new Outcome(GuestDeviceKind.ConventionalPci, null, false, false);
        }
    }

    private static Outcome Passthrough(BusContext bus, HostFunction? host)
    {
        var type = host?.Type ?? PcieDeviceType.Endpoint;
        var link = host?.Link;
        var assumed = host?.Type is null ? "assumed an Endpoint (as GPUs are); " : "";
        var unknownLink = link is null ? "the host function's own link" : null;
        if (!bus.IsExpress)
        {
            if (bus.RootIsExpress)
                return new Outcome(GuestDeviceKind.ConventionalPci, null, false, false,
                    "vfio-pci hides the PCIe capability on a conventional bus of a PCIe machine");
            return new Outcome(Kind(type), link, true, false, assumed + "PCIe capability passed as-is, no extended config space (i440fx)");
        }
        if (bus.IsRoot)
        {
            return type switch
            {
                PcieDeviceType.Endpoint => new Outcome(GuestDeviceKind.RootComplexIntegratedEndpoint, null, false, true,
                    assumed + "on a root bus vfio-pci turns an Endpoint into an integrated endpoint and zeroes its link"),
                PcieDeviceType.LegacyEndpoint => new Outcome(GuestDeviceKind.ConventionalPci, null, false, true,
                    "vfio-pci drops a Legacy Endpoint's PCIe capability on a root bus"),
                _ => new Outcome(Kind(type), null, false, true),
            };
        }
        if (type == PcieDeviceType.RootComplexIntegratedEndpoint)
            return new Outcome(GuestDeviceKind.Endpoint, PortLinks.Gen1X1, true, true, "vfio-pci makes an integrated endpoint an Endpoint with a 2.5GT/s x1 link");
        return new Outcome(Kind(type), link, true, true, link is null ? assumed + unknownLink : assumed.Length > 0 ? assumed.TrimEnd(' ', ';') : null);
    }

    private static Outcome Controller(VmDevice device, BusContext bus, PciLink? capability) => device.Controller switch
    {
        ControllerModel.PcieRootPort or ControllerModel.Ioh3420 => new Outcome(GuestDeviceKind.RootPort, capability, true, true),
        ControllerModel.SwitchDownstream => new Outcome(GuestDeviceKind.DownstreamPort, capability, true, true),
        ControllerModel.SwitchUpstream => new Outcome(GuestDeviceKind.UpstreamPort, PortLinks.Gen1X1, true, true),
        ControllerModel.PciePciBridge => new Outcome(GuestDeviceKind.PcieToPciBridge, PortLinks.Gen1X1, true, bus.IsExpress),
        ControllerModel.PcieExpander or ControllerModel.PciExpander => new Outcome(GuestDeviceKind.HostBridge, null, false, false),
        _ => new Outcome(GuestDeviceKind.PciBridge, null, false, false),
    };

    private static GuestDeviceKind Kind(PcieDeviceType type) => type switch
    {
        PcieDeviceType.Endpoint => GuestDeviceKind.Endpoint,
        PcieDeviceType.LegacyEndpoint => GuestDeviceKind.LegacyEndpoint,
        PcieDeviceType.RootComplexIntegratedEndpoint => GuestDeviceKind.RootComplexIntegratedEndpoint,
        _ => GuestDeviceKind.Endpoint,
    };
}
