using VfioKit.Vm;

namespace VfioKit.Behaviour.Qemu;

/// <summary>
/// The PCI devices a machine creates before any -device, in creation order (hw/i386/pc_q35.c pc_q35_init,
/// hw/i386/pc_piix.c pc_init1): chipset functions at fixed addresses, then the default VGA and NICs at the
/// first free slots of the root bus. -device entries are created after them (vl.c qemu_create_cli_devices),
/// so a -device addr=0x1 collides with q35's default VGA unless -vga none or -nodefaults is given.
/// </summary>
public static class ImplicitDevices
{
    /// <summary>The machine's devices; fixed ones carry an address, auto-placed ones (VGA, NICs) do not.</summary>
    public static IReadOnlyList<VmDevice> For(VmTopology topology)
    {
        var m = topology.Machine;
        var list = new List<VmDevice>();
        void Fixed(string driver, int slot, int fn, bool multifunction = false) =>
            list.Add(new VmDevice { Driver = driver, Address = new GuestAddress(slot, fn), Multifunction = multifunction });
        bool On(string option, bool byDefault) => m.Option(option) is { } v ? v is "on" or "true" or "yes" or "y" : byDefault;

        if (m.Family == MachineFamily.Q35)
        {
            Fixed("mch", 0, 0);
            Fixed("ICH9-LPC", 0x1f, 0, multifunction: true);
            if (On("sata", true)) Fixed("ich9-ahci", 0x1f, 2);
            if (On("smbus", true)) Fixed("ICH9-SMB", 0x1f, 3);
            if (On("usb", false))
            {
                // ehci_create_ich9_with_companions(bus, 0x1d): EHCI at 1d.7, UHCI companions at 1d.0-1d.2.
                Fixed("ich9-usb-ehci1", 0x1d, 7);
                Fixed("ich9-usb-uhci1", 0x1d, 0, multifunction: true);
                Fixed("ich9-usb-uhci2", 0x1d, 1);
                Fixed("ich9-usb-uhci3", 0x1d, 2);
            }
        }
        else
        {
            Fixed("i440FX", 0, 0);
            Fixed("PIIX3", 1, 0, multifunction: true);
            Fixed("piix3-ide", 1, 1);
            if (On("usb", false)) Fixed("piix3-usb-uhci", 1, 2);
            if (On("acpi", true)) Fixed("PIIX4_PM", 1, 3);
        }

        if (VgaModel(topology) is { } vga) list.Add(new VmDevice { Driver = vga });
        foreach (var nic in Nics(topology)) list.Add(new VmDevice { Driver = nic });
        foreach (var card in topology.Defaults.SoundCards) list.Add(new VmDevice { Driver = card });
        return list;
    }

    /// <summary>The default display's driver, or null (vl.c: -vga wins; else std unless -nodefaults or a display -device).</summary>
    public static string? VgaModel(VmTopology topology)
    {
        var vga = topology.Defaults.Vga;
        if (vga is null)
        {
            if (topology.Defaults.NoDefaults || topology.Devices.Any(d => DeviceCatalog.DisablesDefaultVga(d.Driver))) return null;
            vga = "std";
        }
        return vga switch
        {
            "std" => "VGA",
            "cirrus" => "cirrus-vga",
            "vmware" => "vmware-svga",
            "qxl" => "qxl-vga",
            "virtio" => "virtio-vga",
            _ => null,
        };
    }

    private static IEnumerable<string> Nics(VmTopology topology)
    {
        var m = topology.Machine;
        // q35 defaults to e1000e since 2.12 (pc_q35.c m->default_nic); i440fx to e1000.
        var model = m.Family == MachineFamily.Q35 && (m.Version is null || m.Version >= new MachineVersion(2, 12)) ? "e1000e" : "e1000";
        if (!topology.Defaults.NoDefaults && !topology.Defaults.NoDefaultNic) yield return model;
        foreach (var nic in topology.Defaults.Nics) yield return nic.Length == 0 ? model : nic;
    }
}
