using VfioKit.GuestView;
using VfioKit.Host;
using VfioKit.Pci;
using VfioKit.Rules;
using VfioKit.Vm;

namespace VfioKit.Verify;

/// <summary>
/// Judges, from what the guest reports, whether every passed function got its PCI Express link. With a
/// configuration the functions are its vfio-pci devices at the addresses guest-view predicts; without
/// one they are the guest's display and audio functions that are not QEMU's own. With the host's facts
/// the card's link is the host's (and a host link trained below its capability is the host's problem).
/// Traps it knows: GPUs lower Link Status when idle (capability is judged, status asks for a re-check
/// under load), and AMD cards whose link that matters is on the card's own upstream port.
/// </summary>
public static class LinkVerifier
{
    public static VerifyResult Verify(GuestInventory guest, VmTopology? config = null, Func<PciAddress, PcieFacts?>? host = null)
    {
        ArgumentNullException.ThrowIfNull(guest);
        var verdicts = new List<FunctionVerdict>();
        if (config is not null)
        {
            var prediction = GuestViewPredictor.Predict(config, host: host is null ? null : d => HostFunctionOf(d, host));
            foreach (var p in prediction.Devices.Where(d => d.Device.IsPassthrough))
            {
                var hostAddress = p.Device.HostAddress;
                var seen = p.GuestAddress is { } a ? guest.Find(a) : null;
                verdicts.Add(Judge(p.Name, hostAddress, p.GuestAddress, seen, guest, hostAddress is { } h ? host?.Invoke(h) : null, p));
            }
        }
        else
        {
            foreach (var f in guest.Functions.Where(f => (f.IsDisplay || f.IsAudio) && !IsEmulated(f)))
                verdicts.Add(Judge(f.Address.ToString(), null, null, f, guest, null, null));
        }
        return new VerifyResult(guest.Source, config is not null, new ValueList<FunctionVerdict>(verdicts));
    }

    private static FunctionVerdict Judge(string name, PciAddress? hostAddress, PciAddress? expected, SeenFunction? seen,
        GuestInventory guest, PcieFacts? host, GuestDevice? predicted)
    {
        var notes = new List<string>();
        FunctionVerdict Verdict(LinkVerdict v, string message, SeenFunction? port = null, PciLink? card = null) =>
            new(name, hostAddress, expected, seen, port, card, host?.LinkStatus, v, message, new ValueList<string>(notes));

        if (seen is null)
            return expected is null
                ? Verdict(LinkVerdict.Missing, "the configuration gives it no guest address: the guest cannot see it (see vfiokit guest-view)")
                : Verdict(LinkVerdict.Missing, $"the guest shows no function at {Short(expected.Value)}, where the configuration puts it: is the VM running this configuration, and is vfio-pci bound on the host?");

        var what = LinkWords.What(seen);
        if (!seen.CapabilitiesRead)
            return Verdict(LinkVerdict.Unreadable, "the guest's report does not show its PCI Express capability (lspci run without root prints \"<access denied>\"): run it as root, e.g. sudo lspci -vv");
        if (seen.ExpressType is not { } type)
            return Verdict(LinkVerdict.NoLink,
                $"no PCIe link: the {what} is conventional PCI to the guest (an i440fx machine, or behind a PCI bridge; {RuleIds.PassthroughOnI440fx}/{RuleIds.VfioOnConventionalBus}); run vfiokit fix");
        if (type == PcieDeviceType.RootComplexIntegratedEndpoint)
            return Verdict(LinkVerdict.NoLink, $"no PCIe link: the {what} sits on the root bus ({RuleIds.PcieDeviceOnRootBus}); run vfiokit fix");

        var port = guest.ParentOf(seen);
        if (seen.Parent is null)
            return Verdict(LinkVerdict.NoLink,
                $"no PCIe link: the {what} is an {type.LspciName} on a root bus with no PCIe port above it (an i440fx machine? {RuleIds.PassthroughOnI440fx}); the guest driver finds no link to train; put it behind a pcie-root-port on q35");
        if (port is null)
            return Verdict(LinkVerdict.Unreadable, $"the report names {seen.Parent} as the port above the {what} but does not show it: collect the whole report (lspci -vv without a device filter)");
        if (port.ExpressType is not (PcieDeviceType.RootPort or PcieDeviceType.DownstreamPort))
            return Verdict(LinkVerdict.NoLink, $"no PCIe link: the {what} sits behind {LinkWords.Port(port)}, not a PCIe port; put it on a pcie-root-port", port);

        var card = host?.LinkCapability is { IsKnown: true } hc ? hc : seen.LinkCapability;
        if (host?.LinkCapability is { IsKnown: true } hostCap && seen.LinkCapability is { } guestCap && guestCap != hostCap)
            notes.Add($"the guest reads the card's capability as {LinkWords.Describe(guestCap)}, the host as {LinkWords.Describe(hostCap)}");
        if (seen.VendorId == 0x1002 && seen.IsDisplay)
            notes.Add("AMD cards (RDNA) sit behind their own switch: the link that matters is the card's upstream port on the host (lspci -vv on the host, the bridge above the GPU), not the GPU's internal link");
        if (predicted is not null) ComparePrediction(predicted, seen, port, notes);

        var typeWords = type.LspciName;
        var portWords = " behind " + LinkWords.Port(port);
        if (card is { } c)
        {
            if (port.LinkCapability is not { } pc || !pc.Speed.IsKnown || pc.Speed < c.Speed || pc.Width < c.Width)
                return Verdict(LinkVerdict.PortBelowCard,
                    $"the port above the {what} offers {LinkWords.Describe(port.LinkCapability)}, the card {LinkWords.Describe(c)}: the guest driver trains to the port's link ({RuleIds.PortLinkBelowHost}); give the port x-speed/x-width or use pcie-root-port; run vfiokit fix",
                    port, card);
        }

        if (seen.LinkStatus is { } status && seen.LinkCapability is { } cap && (status.Speed < cap.Speed || status.Width < cap.Width))
        {
            if (host?.LinkStatus is { } hs && host.LinkCapability is { } hcap && (hs.Speed < hcap.Speed || hs.Width < hcap.Width))
                return Verdict(LinkVerdict.HostLinkDowngraded,
                    $"{LinkWords.Describe(card)} {typeWords}{portWords}, as configured, but the host's own link trained to {LinkWords.Describe(hs)}: a host problem (slot, riser, firmware setting), not the VM's",
                    port, card);
            return Verdict(LinkVerdict.RecheckUnderLoad,
                $"{LinkWords.Describe(card)} {typeWords}{portWords}; the link runs at {LinkWords.Describe(status)} now: GPUs lower the link when idle (NVIDIA to 2.5GT/s), re-check under load",
                port, card);
        }
        var asHost = host?.LinkCapability is { IsKnown: true } ? ", as the host" : "";
        return Verdict(LinkVerdict.FullLink, $"{LinkWords.Describe(card)} {typeWords}{portWords}{asHost}", port, card);
    }

    private static void ComparePrediction(GuestDevice predicted, SeenFunction seen, SeenFunction? port, List<string> notes)
    {
        var seenKind = seen.ExpressType switch
        {
            PcieDeviceType.Endpoint => GuestDeviceKind.Endpoint,
            PcieDeviceType.LegacyEndpoint => GuestDeviceKind.LegacyEndpoint,
            _ => (GuestDeviceKind?)null,
        };
        if (seenKind is { } k && predicted.Sees != k && predicted.Sees != GuestDeviceKind.NotVisible)
            notes.Add($"guest-view predicts {predicted.Sees}, the guest shows {k}: is the VM running this configuration?");
        if (predicted.PortLink is { } pl && port?.LinkCapability is { } seenPort && pl != seenPort)
            notes.Add($"guest-view predicts the port's link as {LinkWords.Describe(pl)}, the guest shows {LinkWords.Describe(seenPort)}: is the VM running this configuration?");
    }

    /// <summary>QEMU's emulated display and audio (std VGA, virtio, QXL, ICH6/ICH9 HDA, Cirrus, VMware SVGA): never passed through.</summary>
    private static bool IsEmulated(SeenFunction f) => (f.VendorId, f.DeviceId) switch
    {
        (0x1234, _) or (0x1af4, _) or (0x1b36, _) or (0x15ad, 0x0405) or (0x1013, 0x00b8) => true,
        (0x8086, 0x293e or 0x2668) => true,
        _ => false,
    };

    private static HostFunction? HostFunctionOf(VmDevice d, Func<PciAddress, PcieFacts?> host) =>
        d.HostAddress is { } a && host(a) is { } f ? new HostFunction(f.Type, f.LinkCapability) : null;

    private static string Short(PciAddress a) => a.Domain == 0 ? a.ToString()[5..] : a.ToString();
}
