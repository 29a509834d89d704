using VfioKit.Behaviour.Qemu;

namespace VfioKit.Generation;

/// <summary>
/// What `new` needs of the software on the machine that will run the VM: the q35 machine type its QEMU offers
/// and its OVMF files. Taken from the host root; a snapshot root has sysfs and procfs but no QEMU to ask (and a
/// binary in a snapshot is never run), and may lack OVMF, so what comes from this machine instead is named in
/// <see cref="Notes"/>, which the generated file carries.
/// </summary>
public sealed record VmHostSoftware(string MachineType, OvmfFirmware Firmware, IReadOnlyList<string> Notes)
{
    /// <param name="root">`/` or a host snapshot.</param>
    /// <param name="localMachineType">Asks this machine's QEMU (<see cref="QemuMachineTypes.Query"/>); a parameter so tests
    /// need no QEMU.</param>
    public static VmHostSoftware Find(string root, Func<string> localMachineType)
    {
        var full = Path.GetFullPath(string.IsNullOrEmpty(root) ? "/" : root);
        var machineType = localMachineType();
        if (full == "/") return new VmHostSoftware(machineType, OvmfFirmware.Find("/"), []);

        var notes = new List<string>
        {
            // Worded without a QEMU binary name or option: a Proxmox config carries the notes as comments, and format
            // detection still looks for those as substrings.
            $"machine type {machineType} is what this machine's QEMU offers, not the host of {full} (a snapshot holds no QEMU to ask): check the machine types QEMU lists there",
        };
        var firmware = OvmfFirmware.Find(full);
        if (!firmware.Found && OvmfFirmware.Find("/") is { Found: true } local)
        {
            firmware = local;
            notes.Add($"OVMF paths {local.Code} and {local.VarsTemplate} are this machine's: {full} has no OVMF files");
        }
        return new VmHostSoftware(machineType, firmware, notes);
    }

    /// <summary>
    /// The software of a host reached through libvirt: the newest pc-q35-X.Y its capabilities list, and the OVMF pair
    /// whose code image its domain capabilities offer as a loader (the variable-store template is the one that ships
    /// beside it). What libvirt does not say is taken from this machine and named in <see cref="Notes"/>.
    /// </summary>
    /// <param name="q35Machines">The host's x86_64 pc-q35-X.Y machine types.</param>
    /// <param name="loaders">The firmware images its domain capabilities list; null when they could not be read.</param>
    public static VmHostSoftware FromLibvirt(string uri, IReadOnlyList<string> q35Machines, IReadOnlyList<string>? loaders, Func<string> localMachineType)
    {
        var notes = new List<string>();
        var machineType = QemuMachineTypes.NewestQ35(string.Join('\n', q35Machines));
        if (machineType is null)
        {
            machineType = localMachineType();
            notes.Add($"machine type {machineType} is what this machine's QEMU offers: libvirt at {uri} lists no x86_64 q35 machine type of 4.0 or newer");
        }
        var known = OvmfFirmware.Locations.FirstOrDefault(l => loaders?.Contains(l.Code) == true);
        if (known.Code is not null) return new VmHostSoftware(machineType, new OvmfFirmware(known.Code, known.Vars, true), notes);
        var local = OvmfFirmware.Find("/");
        notes.Add(loaders is null
            ? $"OVMF paths {local.Code} and {local.VarsTemplate} are this machine's: libvirt at {uri} did not list its firmware"
            : $"OVMF paths {local.Code} and {local.VarsTemplate} are this machine's: libvirt at {uri} offers none of the known OVMF images ({(loaders.Count == 0 ? "no loader" : string.Join(", ", loaders))})");
        return new VmHostSoftware(machineType, local, notes);
    }
}
